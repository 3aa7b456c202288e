// sync.WaitGroup: Add, Done, Wait; reuse; several waiters; defer wg.Done().
package main

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := []int{}
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			mu.Lock()
			results = append(results, i*i)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Ints(results)
	fmt.Println(results)

	// Add(n) once for a batch; the WaitGroup is reusable at zero.
	var count int64
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go func() {
			atomic.AddInt64(&count, 1)
			wg.Done()
		}()
	}
	wg.Wait()
	fmt.Println("batch done", atomic.LoadInt64(&count))
	wg.Wait()
	fmt.Println("wait at zero returns at once")

	// Several goroutines wait on the same WaitGroup.
	var gate sync.WaitGroup
	gate.Add(1)
	var waiters sync.WaitGroup
	passed := make(chan int, 5)
	for i := 0; i < 5; i++ {
		waiters.Add(1)
		go func(i int) {
			defer waiters.Done()
			gate.Wait()
			passed <- i
		}(i)
	}
	fmt.Println("passed before the gate opens", len(passed))
	gate.Done()
	waiters.Wait()
	fmt.Println("passed after", len(passed))

	// Go 1.25's wg.Go(f) is wg.Add(1); go func() { defer wg.Done(); f() }().
	var total int64
	for i := 1; i <= 100; i++ {
		n := int64(i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&total, n)
		}()
	}
	wg.Wait()
	fmt.Println("total", atomic.LoadInt64(&total))

	// Nested: goroutines that start goroutines on the same WaitGroup.
	var nested int64
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 4; j++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					atomic.AddInt64(&nested, 1)
				}()
			}
		}()
	}
	wg.Wait()
	fmt.Println("nested", atomic.LoadInt64(&nested))
}
