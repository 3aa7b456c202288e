// chan struct{} and struct{}{}: pure signals; close as a broadcast.
package main

import (
	"fmt"
	"sync"
)

func main() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	woken := make(chan int, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-done
			woken <- i
		}(i)
	}
	close(done)
	wg.Wait()
	fmt.Println("woken", len(woken))

	sig := make(chan struct{}, 3)
	sig <- struct{}{}
	sig <- struct{}{}
	fmt.Println("len", len(sig), "cap", cap(sig))
	u := <-sig
	fmt.Println("equal", u == struct{}{})

	ready := make(chan struct{})
	go func() {
		fmt.Println("worker ready")
		ready <- struct{}{}
	}()
	<-ready
	fmt.Println("main continues")

	_, ok := <-done
	fmt.Println("closed signal ok", ok)
}
