// close(ch), for v := range ch, and what close does to blocked parties.
package main

import (
	"fmt"
	"sort"
)

func main() {
	ch := make(chan int, 5)
	for i := 1; i <= 3; i++ {
		ch <- i
	}
	close(ch)
	fmt.Println("len after close", len(ch))
	for v := range ch {
		fmt.Println("range", v)
	}
	fmt.Println("after drain", <-ch, <-ch)

	// A producer closes to end the consumer's range.
	words := make(chan string)
	go func() {
		for _, w := range []string{"alpha", "beta", "gamma"} {
			words <- w
		}
		close(words)
	}()
	for w := range words {
		fmt.Println("word", w)
	}

	// Receivers blocked at close wake with the zero value and ok == false.
	c := make(chan int)
	results := make(chan string)
	for i := 0; i < 3; i++ {
		go func() {
			v, ok := <-c
			results <- fmt.Sprint(v, " ", ok)
		}()
	}
	close(c)
	got := []string{}
	for i := 0; i < 3; i++ {
		got = append(got, <-results)
	}
	sort.Strings(got)
	for _, g := range got {
		fmt.Println("woken:", g)
	}

	// A sender blocked at close panics with "send on closed channel".
	s := make(chan int)
	panicked := make(chan string)
	go func() {
		defer func() {
			panicked <- fmt.Sprint(recover())
		}()
		s <- 1
	}()
	close(s)
	fmt.Println("blocked sender:", <-panicked)

	// range over a channel closed while empty ends at once.
	empty := make(chan int)
	close(empty)
	n := 0
	for range empty {
		n++
	}
	fmt.Println("iterations", n)
}
