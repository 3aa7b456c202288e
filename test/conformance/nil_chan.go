// var ch chan T: the nil channel blocks forever and is never ready in a select.
package main

import "fmt"

func main() {
	var ch chan int
	fmt.Println("nil", ch == nil)
	var s chan<- int
	var r <-chan int
	fmt.Println("send-only nil", s == nil, "recv-only nil", r == nil)
	live := make(chan int)
	fmt.Println("make is nil", live == nil)
	fmt.Println("len", len(ch), "cap", cap(ch))

	select {
	case v := <-ch:
		fmt.Println("received from nil", v)
	case ch <- 1:
		fmt.Println("sent to nil")
	default:
		fmt.Println("default: nil cases never ready")
	}

	ready := make(chan int, 1)
	ready <- 7
	select {
	case v := <-ch:
		fmt.Println("received from nil", v)
	case v := <-ready:
		fmt.Println("ready case", v)
	}

	// A goroutine blocked on a nil channel never proceeds.
	go func() {
		<-ch
		fmt.Println("never printed")
	}()
	go func() {
		ch <- 1
		fmt.Println("never printed")
	}()

	// Merging with nil: a drained input is set to nil so its case is off.
	a := make(chan int)
	b := make(chan int)
	go func() {
		for i := 1; i <= 3; i++ {
			a <- i
		}
		close(a)
	}()
	go func() {
		for i := 10; i <= 30; i += 10 {
			b <- i
		}
		close(b)
	}()
	sum := 0
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			sum += v
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			sum += v
		}
	}
	fmt.Println("merged sum", sum)
}
