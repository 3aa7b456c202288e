// sync.Cond: a queue guarded by a Mutex; Signal wakes one waiter, Broadcast all.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	queue := []int{}
	closed := false
	var wg sync.WaitGroup
	results := make(chan int, 10)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				for len(queue) == 0 && !closed {
					cond.Wait()
				}
				if len(queue) == 0 {
					mu.Unlock()
					return
				}
				v := queue[0]
				queue = queue[1:]
				mu.Unlock()
				results <- v * 10
			}
		}()
	}
	for i := 1; i <= 10; i++ {
		mu.Lock()
		queue = append(queue, i)
		mu.Unlock()
		cond.Signal()
	}
	mu.Lock()
	closed = true
	mu.Unlock()
	cond.Broadcast()
	wg.Wait()
	close(results)
	got := []int{}
	for v := range results {
		got = append(got, v)
	}
	sort.Ints(got)
	fmt.Println(got)

	// Broadcast wakes every waiter.
	ready := false
	woken := make(chan int, 5)
	var waiting sync.WaitGroup
	for i := 0; i < 5; i++ {
		waiting.Add(1)
		go func(i int) {
			mu.Lock()
			waiting.Done()
			for !ready {
				cond.Wait()
			}
			mu.Unlock()
			woken <- i
		}(i)
	}
	waiting.Wait()
	mu.Lock()
	ready = true
	mu.Unlock()
	cond.Broadcast()
	sum := 0
	for i := 0; i < 5; i++ {
		sum += <-woken
	}
	fmt.Println("woken sum", sum)
}
