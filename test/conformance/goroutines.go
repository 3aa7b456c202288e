// go f(x, y), go func() { ... }(): arguments are evaluated at the go statement.
package main

import (
	"fmt"
	"sort"
)

func worker(id int, factor int, out chan<- int) {
	out <- id * factor
}

func show(x int, done chan<- int) {
	done <- x
}

func main() {
	out := make(chan int)
	for i := 0; i < 5; i++ {
		go worker(i, 10, out)
	}
	res := []int{}
	for i := 0; i < 5; i++ {
		res = append(res, <-out)
	}
	sort.Ints(res)
	fmt.Println("results", res)

	x := 1
	done := make(chan int)
	go show(x, done) // x is evaluated now
	x = 2
	fmt.Println("show got", <-done, "x is", x)

	msgs := make(chan string)
	for _, name := range []string{"a", "b", "c"} {
		go func(n string) {
			msgs <- "hello " + n
		}(name)
	}
	got := []string{}
	for i := 0; i < 3; i++ {
		got = append(got, <-msgs)
	}
	sort.Strings(got)
	for _, m := range got {
		fmt.Println(m)
	}

	// A chain of goroutines, each passing its input plus one to the next.
	first := make(chan int)
	in := first
	for i := 0; i < 100; i++ {
		next := make(chan int)
		go func(in <-chan int, out chan<- int) {
			out <- 1 + <-in
		}(in, next)
		in = next
	}
	first <- 0
	fmt.Println("chain", <-in)
}
