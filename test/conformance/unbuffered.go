// make(chan T): an unbuffered send completes only when a receiver takes the value.
package main

import "fmt"

func main() {
	ch := make(chan int)
	fmt.Println("len", len(ch), "cap", cap(ch))

	sent := make(chan bool)
	go func() {
		ch <- 42
		sent <- true
	}()
	// No receiver yet: the sender cannot have finished.
	select {
	case <-sent:
		fmt.Println("sent without a receiver")
	default:
		fmt.Println("sender still blocked")
	}
	v := <-ch
	<-sent
	fmt.Println("received", v, "and the sender finished")

	// Ping-pong: each side prints before it hands the ball over.
	ping := make(chan int)
	pong := make(chan int)
	finished := make(chan bool)
	go func() {
		for n := range ping {
			fmt.Println("pong", n)
			pong <- n + 1
		}
		finished <- true
	}()
	n := 0
	for i := 0; i < 3; i++ {
		fmt.Println("ping", n)
		ping <- n
		n = <-pong
	}
	close(ping)
	<-finished
	fmt.Println("final", n)

	// Many senders, one receiver: every value arrives exactly once.
	c := make(chan int)
	for i := 1; i <= 100; i++ {
		go func(i int) { c <- i }(i)
	}
	sum := 0
	for i := 0; i < 100; i++ {
		sum += <-c
	}
	fmt.Println("sum", sum)
}
