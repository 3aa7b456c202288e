// select_index: case bodies that return, continue, or break a labelled loop
// (gocxx's index form: select returns the case index, the body is a switch).
package main

import "fmt"

// A worker loop that ends with a return from inside a case body.
func sumOdd(data <-chan int, done <-chan struct{}) int {
	total := 0
	for {
		select {
		case v := <-data:
			if v%2 == 0 {
				continue
			}
			total += v
		case <-done:
			return total
		}
	}
}

// The first value above limit, or -1 once in is closed.
func firstAbove(in <-chan int, limit int) int {
	var v int
	var ok bool
	for {
		select {
		case v, ok = <-in:
			if !ok {
				return -1
			}
			if v > limit {
				return v
			}
		}
	}
}

func tryClose(c chan int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("close -> panic:", r)
		}
	}()
	close(c)
	fmt.Println("close -> no panic")
}

func main() {
	// return from the loop
	data := make(chan int)
	done := make(chan struct{})
	go func() {
		for i := 1; i <= 6; i++ {
			data <- i
		}
		close(done)
	}()
	fmt.Println("sum of odd", sumOdd(data, done))

	in := make(chan int, 5)
	for _, x := range []int{3, 8, 12, 20} {
		in <- x
	}
	fmt.Println("first above 10", firstAbove(in, 10))
	close(in)
	fmt.Println("first above 100", firstAbove(in, 100))

	// labelled break and continue; a closed channel gives the zero value and false
	ch := make(chan int, 10)
	for i := 0; i < 10; i++ {
		ch <- i * 10
	}
	close(ch)
	count, skipped := 0, 0
	var v int
	var ok bool
loop:
	for {
		select {
		case v, ok = <-ch:
			if !ok {
				fmt.Println("closed", v, ok)
				break loop
			}
			if v == 30 || v == 70 {
				skipped++
				continue
			}
			if v == 90 {
				fmt.Println("last", v, ok)
				break // leaves the select only
			}
			count++
		}
	}
	fmt.Println("count", count, "skipped", skipped)

	// v = <-a without ok, then a closed channel into the same variable
	a := make(chan int, 1)
	b := make(chan int)
	close(b)
	a <- 5
	select {
	case v = <-a:
		fmt.Println("a", v)
	}
	v = 99
	select {
	case v = <-b:
		fmt.Println("b", v)
	}

	// send case and default
	out := make(chan int, 2)
	sent := 0
	for i := 0; i < 5; i++ {
		select {
		case out <- i * 100:
			sent++
		default:
			fmt.Println("full at", i)
		}
	}
	fmt.Println("sent", sent, <-out, <-out)

	// nothing ready: default, and the variables are left as they were
	empty := make(chan int)
	out <- 1
	out <- 2
	v, ok = 7, true
	select {
	case v, ok = <-empty:
		fmt.Println("received?")
	case out <- 3:
		fmt.Println("sent 3")
	default:
		fmt.Println("default", v, ok)
	}
	fmt.Println("out has", <-out, <-out)

	// a string and a channel of channels: the zero values are "" and nil
	words := make(chan string, 1)
	words <- "go"
	var w string
	select {
	case w, ok = <-words:
		fmt.Println("word", w, ok)
	}
	close(words)
	select {
	case w, ok = <-words:
		fmt.Printf("word %q %v\n", w, ok)
	}
	chans := make(chan chan int, 1)
	inner := make(chan int, 1)
	chans <- inner
	close(chans)
	var c chan int
	for round := 0; round < 2; round++ {
		select {
		case c, ok = <-chans:
			fmt.Println("chan", round, c == nil, c == inner, ok)
		}
	}
	tryClose(c)
	select {
	case c <- 1:
		fmt.Println("sent on nil")
	case <-c:
		fmt.Println("received from nil")
	default:
		fmt.Println("nil channel never ready")
	}

	// several cases in a loop, with the choice reported only in total
	x := make(chan int, 1)
	y := make(chan int, 1)
	nx, ny := 0, 0
	for i := 0; i < 1000; i++ {
		if len(x) == 0 {
			x <- 1
		}
		if len(y) == 0 {
			y <- 2
		}
		select {
		case v = <-x:
			nx += v
		case v = <-y:
			ny += v / 2
		}
	}
	fmt.Println("both chosen", nx > 0 && ny > 0, "total", nx+ny)
}
