// runtime: NumGoroutine, GOMAXPROCS, Gosched.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

func main() {
	fmt.Println("goroutines at start", runtime.NumGoroutine())
	block := make(chan struct{})
	var started sync.WaitGroup
	for i := 0; i < 10; i++ {
		started.Add(1)
		go func() {
			started.Done()
			<-block
		}()
	}
	started.Wait()
	fmt.Println("with 10 blocked", runtime.NumGoroutine())
	close(block)
	for runtime.NumGoroutine() > 1 {
		runtime.Gosched()
	}
	fmt.Println("after they finish", runtime.NumGoroutine())

	procs := runtime.GOMAXPROCS(0)
	fmt.Println("gomaxprocs positive", procs > 0)
	prev := runtime.GOMAXPROCS(2)
	fmt.Println("set returns the previous value", prev == procs)
	fmt.Println("now", runtime.GOMAXPROCS(0))
	fmt.Println("negative only queries", runtime.GOMAXPROCS(-1))

	// On one worker, Gosched lets another goroutine run.
	runtime.GOMAXPROCS(1)
	var flag int32
	go func() {
		atomic.StoreInt32(&flag, 1)
	}()
	for atomic.LoadInt32(&flag) == 0 {
		runtime.Gosched()
	}
	fmt.Println("gosched let the other goroutine run")

	// Many goroutines on one worker, taking turns.
	var wg sync.WaitGroup
	var sum int64
	for i := 1; i <= 100; i++ {
		wg.Add(1)
		go func(i int64) {
			defer wg.Done()
			runtime.Gosched()
			atomic.AddInt64(&sum, i)
		}(int64(i))
	}
	wg.Wait()
	fmt.Println("sum", atomic.LoadInt64(&sum))

	runtime.GOMAXPROCS(procs)
	fmt.Println("restored", runtime.GOMAXPROCS(0) == procs)
}
