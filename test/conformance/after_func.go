// time.AfterFunc: f runs in its own goroutine; Stop keeps it from running;
// Reset re-arms it, also after it ran; C is nil. Wide margins only.
package main

import (
	"fmt"
	"time"
)

func main() {
	ran := make(chan string, 4)

	t := time.AfterFunc(10*time.Millisecond, func() { ran <- "first" })
	fmt.Println("C is nil", t.C == nil)
	fmt.Println(<-ran)
	fmt.Println("stop after it ran", t.Stop())
	fmt.Println("reset after it ran", t.Reset(10*time.Millisecond))
	fmt.Println(<-ran)

	t2 := time.AfterFunc(time.Hour, func() { ran <- "never" })
	fmt.Println("stop active", t2.Stop())
	fmt.Println("stop again", t2.Stop())
	fmt.Println("reset stopped", t2.Reset(10*time.Millisecond))
	fmt.Println(<-ran)

	t3 := time.AfterFunc(time.Hour, func() { ran <- "reset active" })
	fmt.Println("reset active", t3.Reset(10*time.Millisecond))
	fmt.Println(<-ran)

	// A stopped func never runs.
	t4 := time.AfterFunc(20*time.Millisecond, func() { ran <- "stopped func ran" })
	t4.Stop()
	select {
	case s := <-ran:
		fmt.Println(s)
	case <-time.After(200 * time.Millisecond):
		fmt.Println("stopped func stayed quiet")
	}

	// Nobody keeps the Timer: f still runs.
	time.AfterFunc(10*time.Millisecond, func() { ran <- "dropped timer ran" })
	fmt.Println(<-ran)

	// f runs in its own goroutine: it may block without holding up others.
	block := make(chan struct{})
	time.AfterFunc(time.Millisecond, func() { <-block; ran <- "unblocked" })
	time.AfterFunc(10*time.Millisecond, func() { ran <- "second func not held up" })
	fmt.Println(<-ran)
	close(block)
	fmt.Println(<-ran)
}
