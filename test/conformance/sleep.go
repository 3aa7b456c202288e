// time.Sleep and time.Now: only ordering facts, never durations.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("slept at least 20ms", time.Since(start) >= 20*time.Millisecond)
	time.Sleep(0)
	time.Sleep(-time.Second)
	fmt.Println("zero and negative sleeps return")

	// Goroutines wake in the order of their sleeps (wide margins).
	out := make(chan string, 3)
	for _, s := range []struct {
		name string
		d    time.Duration
	}{{"long", 600 * time.Millisecond}, {"short", 10 * time.Millisecond}, {"medium", 300 * time.Millisecond}} {
		go func(name string, d time.Duration) {
			time.Sleep(d)
			out <- name
		}(s.name, s.d)
	}
	for i := 0; i < 3; i++ {
		fmt.Println(<-out)
	}

	// Many goroutines sleep at once.
	var wg sync.WaitGroup
	var mu sync.Mutex
	woke := 0
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(50 * time.Millisecond)
			mu.Lock()
			woke++
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("sleepers woke", woke)

	t2 := time.Now()
	fmt.Println("time moves forward", !t2.Before(start), t2.Sub(start) >= 50*time.Millisecond)
}
