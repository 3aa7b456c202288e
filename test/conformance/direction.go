// chan<- T and <-chan T: directional channels, converted implicitly.
package main

import "fmt"

func produce(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i * i
	}
	close(out)
}

func consume(in <-chan int, done chan<- int) {
	sum := 0
	for v := range in {
		sum += v
	}
	done <- sum
}

func first(in <-chan int) int {
	select {
	case v := <-in:
		return v
	}
}

func main() {
	ch := make(chan int)
	done := make(chan int)
	go produce(ch, 5)
	go consume(ch, done)
	fmt.Println("sum of squares", <-done)

	buf := make(chan int, 2)
	var s chan<- int = buf
	var r <-chan int = buf
	s <- 7
	fmt.Println("len", len(r), "cap", cap(s))
	fmt.Println("via recv-only", <-r)
	s <- 8
	fmt.Println("first", first(r))

	var rs <-chan int
	fmt.Println("nil recv-only", rs == nil)
	rs = buf
	fmt.Println("nil recv-only", rs == nil)
	s2 := chan<- int(buf)
	fmt.Println("same send channel", s2 == s)
}
