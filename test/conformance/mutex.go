// sync.Mutex: mutual exclusion, TryLock, unlock by another goroutine.
package main

import (
	"fmt"
	"sync"
)

type counter struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *counter) inc(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k]++
}

func main() {
	var mu sync.Mutex
	count := 0
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				mu.Lock()
				count++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Println("count", count)

	mu.Lock()
	fmt.Println("trylock while held", mu.TryLock())
	// Go's Mutex is not tied to a goroutine: another one may unlock it.
	done := make(chan bool)
	go func() {
		mu.Unlock()
		done <- true
	}()
	<-done
	fmt.Println("trylock after another goroutine unlocked", mu.TryLock())
	mu.Unlock()

	// Lock waits for the holder to unlock.
	mu.Lock()
	acquired := make(chan bool)
	go func() {
		mu.Lock()
		fmt.Println("goroutine got the lock")
		mu.Unlock()
		acquired <- true
	}()
	fmt.Println("main unlocking")
	mu.Unlock()
	<-acquired

	// The lock hands the critical section from goroutine to goroutine in turn.
	c := counter{m: map[string]int{}}
	keys := []string{"a", "b", "c"}
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c.inc(keys[i%3])
		}(i)
	}
	wg.Wait()
	fmt.Println("a", c.m["a"], "b", c.m["b"], "c", c.m["c"])
}
