// Non-blocking send and receive: Go's select-with-default, gocxx's try_send / try_recv.
package main

import (
	"fmt"
	"runtime"
)

type payload struct {
	n int
}

func trySend(c chan int, v int) bool {
	select {
	case c <- v:
		return true
	default:
		return false
	}
}

// Like gocxx's try_recv: nothing when nothing is ready, and nothing when closed and drained.
func tryRecv(c chan int) (int, bool) {
	select {
	case v, ok := <-c:
		return v, ok
	default:
		return 0, false
	}
}

func main() {
	u := make(chan int)
	fmt.Println("send, no receiver", trySend(u, 1))
	_, ok := tryRecv(u)
	fmt.Println("recv, no sender", ok)

	// With a receiver waiting, a non-blocking send hands the value over.
	got := make(chan int)
	go func() {
		got <- <-u
	}()
	for !trySend(u, 7) {
		runtime.Gosched()
	}
	fmt.Println("handed over", <-got)

	// With a sender waiting, a non-blocking receive takes its value.
	go func() {
		u <- 8
	}()
	var v int
	for {
		if x, ok := tryRecv(u); ok {
			v = x
			break
		}
		runtime.Gosched()
	}
	fmt.Println("took", v)

	b := make(chan int, 3)
	n := 0
	for i := 0; i < 5; i++ {
		if trySend(b, i) {
			n++
		}
	}
	fmt.Println("buffered accepted", n)
	for {
		x, ok := tryRecv(b)
		if !ok {
			break
		}
		fmt.Println("try_recv", x)
	}
	_, ok = tryRecv(b)
	fmt.Println("empty", ok)
	b <- 9
	close(b)
	x, ok := tryRecv(b)
	fmt.Println("closed, buffered value", x, ok)
	_, ok = tryRecv(b)
	fmt.Println("closed and drained", ok)

	func() {
		defer func() {
			fmt.Println("try_send on closed: panic:", recover())
		}()
		trySend(b, 1)
	}()

	var nilc chan int
	fmt.Println("nil send", trySend(nilc, 1))
	_, ok = tryRecv(nilc)
	fmt.Println("nil recv", ok)

	// A failed non-blocking send leaves the value with the sender.
	pc := make(chan *payload)
	p := &payload{n: 42}
	select {
	case pc <- p:
		fmt.Println("sent")
	default:
		fmt.Println("kept", p.n)
	}
}
