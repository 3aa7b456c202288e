// context.WithTimeout and WithDeadline: DeadlineExceeded, deadlines through the tree.
package main

import (
	"context"
	"fmt"
	"time"
)

func main() {
	bg := context.Background()
	ctx, cancel := context.WithTimeout(bg, 100*time.Millisecond)
	defer cancel()
	dl, ok := ctx.Deadline()
	fmt.Println("has deadline", ok)
	fmt.Println("err before", ctx.Err())
	<-ctx.Done()
	fmt.Println("err after", ctx.Err(), ctx.Err() == context.DeadlineExceeded)
	fmt.Println("deadline passed", !time.Now().Before(dl))
	cancel()
	fmt.Println("cancel after the deadline keeps", ctx.Err())

	// Cancelled before its deadline.
	c2, cancel2 := context.WithTimeout(bg, time.Hour)
	cancel2()
	<-c2.Done()
	fmt.Println("cancelled early", c2.Err())

	// Work that never comes loses to the timeout.
	work := make(chan int)
	c3, cancel3 := context.WithTimeout(bg, 20*time.Millisecond)
	defer cancel3()
	select {
	case v := <-work:
		fmt.Println("work", v)
	case <-c3.Done():
		fmt.Println("gave up:", c3.Err())
	}

	// Ready work beats a long timeout.
	ready := make(chan int, 1)
	ready <- 7
	c4, cancel4 := context.WithTimeout(bg, time.Hour)
	select {
	case v := <-ready:
		fmt.Println("work", v)
	case <-c4.Done():
		fmt.Println("gave up:", c4.Err())
	}
	cancel4()

	// A child of a timed-out parent ends with the parent's error.
	parent, pcancel := context.WithTimeout(bg, 20*time.Millisecond)
	defer pcancel()
	child, ccancel := context.WithCancel(parent)
	defer ccancel()
	_, ok = child.Deadline()
	fmt.Println("child inherits a deadline", ok)
	<-child.Done()
	fmt.Println("child err", child.Err())

	// A child keeps its parent's earlier deadline; a shorter one is its own.
	p2, p2cancel := context.WithTimeout(bg, time.Hour)
	defer p2cancel()
	later, lcancel := context.WithTimeout(p2, 2*time.Hour)
	defer lcancel()
	sooner, scancel := context.WithTimeout(p2, time.Minute)
	defer scancel()
	d1, _ := p2.Deadline()
	d2, _ := later.Deadline()
	d3, _ := sooner.Deadline()
	fmt.Println("later child keeps parent's deadline", d1.Equal(d2))
	fmt.Println("sooner child's deadline is earlier", d3.Before(d1))

	// A deadline already passed: done at once.
	past, pastCancel := context.WithDeadline(bg, time.Now().Add(-time.Second))
	defer pastCancel()
	fmt.Println("past deadline", past.Err())
	select {
	case <-past.Done():
		fmt.Println("done at once")
	default:
		fmt.Println("not done")
	}

	// WithDeadline with a future time.
	fut, futCancel := context.WithDeadline(bg, time.Now().Add(20*time.Millisecond))
	<-fut.Done()
	fmt.Println("future deadline", fut.Err())
	futCancel()
}
