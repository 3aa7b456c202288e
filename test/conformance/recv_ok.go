// v := <-ch and v, ok := <-ch: the zero value and ok == false once closed and drained.
package main

import "fmt"

type point struct {
	x, y int
}

func main() {
	ch := make(chan string, 2)
	ch <- "one"
	ch <- "two"
	close(ch)
	v, ok := <-ch
	fmt.Println("["+v+"]", ok)
	v, ok = <-ch
	fmt.Println("["+v+"]", ok)
	v, ok = <-ch
	fmt.Println("["+v+"]", ok)
	v = <-ch
	fmt.Println("[" + v + "]")

	pc := make(chan point, 1)
	pc <- point{1, 2}
	close(pc)
	p, ok := <-pc
	fmt.Println(p.x, p.y, ok)
	p, ok = <-pc
	fmt.Println(p.x, p.y, ok)

	ic := make(chan int)
	go func() {
		ic <- 5
		close(ic)
	}()
	n, ok := <-ic
	fmt.Println(n, ok)
	n, ok = <-ic
	fmt.Println(n, ok)
	fmt.Println(<-ic)
}
