// deadlock: Go's runtime ends a program whose goroutines are all asleep with
// "fatal error: all goroutines are asleep - deadlock!" and status 2; what it
// printed before stays printed.
package main

import (
	"fmt"
	"sync"
)

func main() {
	fmt.Println("start")
	var wg sync.WaitGroup
	results := make(chan int)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results <- i * i // nobody receives: every sender blocks
		}(i)
	}
	fmt.Println("waiting")
	wg.Wait()
	fmt.Println("unreachable")
}
