// time.After and time.Tick in selects: ordering facts only.
package main

import (
	"fmt"
	"time"
)

func main() {
	never := make(chan int)
	select {
	case v := <-never:
		fmt.Println("got", v)
	case <-time.After(20 * time.Millisecond):
		fmt.Println("timeout")
	}

	ready := make(chan int, 1)
	ready <- 1
	select {
	case v := <-ready:
		fmt.Println("ready", v)
	case <-time.After(time.Hour):
		fmt.Println("timeout")
	}

	t0 := time.Now()
	t := <-time.After(10 * time.Millisecond)
	fmt.Println("after sends a time at least 10ms later", !t.Before(t0.Add(10*time.Millisecond)))

	tick := time.Tick(10 * time.Millisecond)
	for i := 1; i <= 3; i++ {
		<-tick
		fmt.Println("tick", i)
	}
	a := <-tick
	b := <-tick
	fmt.Println("tick times increase", b.After(a))

	// A short After fires before a slow ticker's first tick.
	slow := time.Tick(500 * time.Millisecond)
	select {
	case <-time.After(10 * time.Millisecond):
		fmt.Println("after first")
	case <-slow:
		fmt.Println("tick first")
	}

	// An idle timeout in a receive loop.
	work := make(chan int)
	go func() {
		for i := 1; i <= 3; i++ {
			work <- i
		}
	}()
	for running := true; running; {
		select {
		case v := <-work:
			fmt.Println("work", v)
		case <-time.After(300 * time.Millisecond):
			fmt.Println("idle")
			running = false
		}
	}
}
