// select: receive with value, with ok, without a value, send; blocking; random choice.
package main

import "fmt"

func main() {
	a := make(chan int, 1)
	b := make(chan string, 1)
	done := make(chan struct{})
	out := make(chan int, 1)

	a <- 1
	select {
	case v := <-a:
		fmt.Println("a", v)
	case s := <-b:
		fmt.Println("b", s)
	}
	b <- "x"
	select {
	case v := <-a:
		fmt.Println("a", v)
	case s, ok := <-b:
		fmt.Println("b", s, ok)
	}
	close(done)
	select {
	case <-done:
		fmt.Println("done is closed")
	case v := <-a:
		fmt.Println("a", v)
	}
	select {
	case out <- 5:
		fmt.Println("sent 5")
	case v := <-a:
		fmt.Println("a", v)
	}
	fmt.Println("out has", <-out)

	// A closed channel's receive case is ready: zero value, ok == false.
	closed := make(chan int)
	close(closed)
	select {
	case v, ok := <-closed:
		fmt.Println("closed", v, ok)
	}

	// select blocks until some case is ready.
	late := make(chan int)
	go func() {
		late <- 99
	}()
	select {
	case v := <-late:
		fmt.Println("late", v)
	case s := <-b:
		fmt.Println("b", s)
	}

	// A send case completes only when a receiver takes the value.
	sink := make(chan int)
	got := make(chan int)
	go func() {
		got <- <-sink
	}()
	select {
	case sink <- 3:
		fmt.Println("sent to a receiver")
	}
	fmt.Println("receiver got", <-got)

	// Of several ready cases one is chosen at random.
	x := make(chan int, 1)
	y := make(chan int, 1)
	nx, ny := 0, 0
	for i := 0; i < 1000; i++ {
		if len(x) == 0 {
			x <- 0
		}
		if len(y) == 0 {
			y <- 0
		}
		select {
		case <-x:
			nx++
		case <-y:
			ny++
		}
	}
	fmt.Println("both chosen", nx > 0 && ny > 0, "roughly even", nx > 300 && ny > 300, "total", nx+ny)

	// A select loop with a quit channel.
	quit := make(chan bool)
	data := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			data <- i
		}
		quit <- true
	}()
	for running := true; running; {
		select {
		case v := <-data:
			fmt.Println("data", v)
		case <-quit:
			fmt.Println("quit")
			running = false
		}
	}

	// Several goroutines in select on the same channels.
	jobs := make(chan int)
	stop := make(chan struct{})
	results := make(chan int)
	for w := 0; w < 4; w++ {
		go func() {
			for {
				select {
				case j := <-jobs:
					results <- j * 2
				case <-stop:
					return
				}
			}
		}()
	}
	go func() {
		for i := 1; i <= 50; i++ {
			jobs <- i
		}
	}()
	sum := 0
	for i := 0; i < 50; i++ {
		sum += <-results
	}
	close(stop)
	fmt.Println("sum", sum)

	// An empty select blocks forever.
	go func() {
		select {}
	}()
	fmt.Println("end")
}
