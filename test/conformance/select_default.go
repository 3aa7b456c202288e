// select with default: non-blocking selects, and which case index ran.
package main

import (
	"fmt"
	"runtime"
)

func state(c chan int) string {
	select {
	case v, ok := <-c:
		if ok {
			return fmt.Sprint("value ", v)
		}
		return "closed"
	default:
		return "empty"
	}
}

func main() {
	ch := make(chan int, 1)
	idx := -1
	select {
	case v := <-ch:
		idx = 0
		fmt.Println("got", v)
	default:
		idx = 1
		fmt.Println("nothing ready")
	}
	fmt.Println("index", idx)

	ch <- 1
	select {
	case v := <-ch:
		idx = 0
		fmt.Println("got", v)
	default:
		idx = 1
		fmt.Println("nothing ready")
	}
	fmt.Println("index", idx)

	// default may come first; the indexes follow the order written.
	ch <- 2
	select {
	default:
		idx = 0
		fmt.Println("default")
	case v := <-ch:
		idx = 1
		fmt.Println("got", v)
	}
	fmt.Println("index", idx)

	// Non-blocking send.
	ch <- 3
	select {
	case ch <- 4:
		idx = 0
		fmt.Println("sent 4")
	default:
		idx = 1
		fmt.Println("full: dropped 4")
	}
	fmt.Println("index", idx)
	fmt.Println(state(ch))
	fmt.Println(state(ch))
	ch <- 5
	close(ch)
	fmt.Println(state(ch))
	fmt.Println(state(ch))

	// An unbuffered channel with nobody on the other side is never ready.
	u := make(chan int)
	hits := 0
	for i := 0; i < 100; i++ {
		select {
		case u <- i:
			hits++
		case <-u:
			hits++
		default:
		}
	}
	fmt.Println("hits", hits)

	// Poll with default until a goroutine's value arrives.
	res := make(chan string)
	go func() {
		res <- "result"
	}()
	var r string
	for polling := true; polling; {
		select {
		case r = <-res:
			polling = false
		default:
			runtime.Gosched()
		}
	}
	fmt.Println("polled", r)

	// An empty select with only a default.
	select {
	default:
		fmt.Println("only default")
	}
}
