// time.NewTimer and time.NewTicker: C, Stop, Reset.
//
// Only cases where Go 1.19 and Go 1.23+ (gocxx's model) agree: no Stop or
// Reset of a timer that fired but whose value was not received.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(10 * time.Millisecond)
	<-t.C
	fmt.Println("timer fired")
	fmt.Println("stop after receive", t.Stop())

	t2 := time.NewTimer(time.Hour)
	fmt.Println("stop active", t2.Stop())
	fmt.Println("stop again", t2.Stop())
	fmt.Println("reset stopped", t2.Reset(10*time.Millisecond))
	<-t2.C
	fmt.Println("reset timer fired")

	t3 := time.NewTimer(time.Hour)
	fmt.Println("reset active", t3.Reset(10*time.Millisecond))
	<-t3.C
	fmt.Println("fired after reset")

	// A stopped timer never fires.
	t4 := time.NewTimer(20 * time.Millisecond)
	t4.Stop()
	select {
	case <-t4.C:
		fmt.Println("stopped timer fired")
	case <-time.After(200 * time.Millisecond):
		fmt.Println("stopped timer stayed quiet")
	}

	// A timer as a timeout that work beats.
	done := make(chan bool)
	go func() {
		done <- true
	}()
	timeout := time.NewTimer(time.Hour)
	select {
	case <-done:
		fmt.Println("work done, stop timeout", timeout.Stop())
	case <-timeout.C:
		fmt.Println("timed out")
	}

	tk := time.NewTicker(10 * time.Millisecond)
	for i := 1; i <= 3; i++ {
		<-tk.C
		fmt.Println("ticker", i)
	}
	tk.Reset(20 * time.Millisecond)
	<-tk.C
	fmt.Println("tick after reset")
	tk.Stop()
	select { // Go 1.19 may hold one tick from before Stop: drop it
	case <-tk.C:
	default:
	}
	select {
	case <-tk.C:
		fmt.Println("tick after stop")
	case <-time.After(200 * time.Millisecond):
		fmt.Println("no tick after stop")
	}

	// A ticker drives a loop until a deadline timer fires.
	tk2 := time.NewTicker(5 * time.Millisecond)
	defer tk2.Stop()
	deadline := time.NewTimer(time.Hour)
	ticks := 0
	for ticks < 5 {
		select {
		case <-tk2.C:
			ticks++
		case <-deadline.C:
			fmt.Println("deadline")
		}
	}
	fmt.Println("ticks", ticks, "deadline stopped", deadline.Stop())
}
