// make(chan T, n), len, cap, FIFO order; channel values are references.
package main

import "fmt"

func main() {
	ch := make(chan int, 3)
	fmt.Println("len", len(ch), "cap", cap(ch))
	ch <- 1
	ch <- 2
	ch <- 3
	fmt.Println("len", len(ch), "cap", cap(ch))
	select {
	case ch <- 4:
		fmt.Println("sent a 4th value")
	default:
		fmt.Println("full")
	}
	fmt.Println(<-ch, <-ch)
	fmt.Println("len", len(ch))

	// Copies share the channel.
	alias := ch
	fmt.Println("same channel", alias == ch)
	other := make(chan int, 3)
	fmt.Println("other channel", other == ch)
	alias <- 10
	fmt.Println("len via original", len(ch))
	fmt.Println(<-ch, <-ch)

	zero := make(chan int, 0)
	fmt.Println("cap of make(chan int, 0)", cap(zero))

	// FIFO across a producer goroutine.
	q := make(chan int, 5)
	go func() {
		for i := 0; i < 20; i++ {
			q <- i
		}
		close(q)
	}()
	got := []int{}
	for v := range q {
		got = append(got, v)
	}
	fmt.Println(got)

	// A sender blocks when the buffer is full until a receive makes room.
	b := make(chan string, 1)
	b <- "first"
	done := make(chan bool)
	go func() {
		b <- "second"
		done <- true
	}()
	select {
	case <-done:
		fmt.Println("second send completed while full")
	default:
		fmt.Println("second send waits")
	}
	fmt.Println(<-b)
	<-done
	fmt.Println(<-b)
}
