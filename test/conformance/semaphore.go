// golang.org/x/sync/semaphore.Weighted: weighted, FIFO, context-aware acquire.
package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

func main() {
	ctx := context.Background()
	s := semaphore.NewWeighted(3)
	fmt.Println("try 2", s.TryAcquire(2))
	fmt.Println("try 2 more", s.TryAcquire(2))
	fmt.Println("try 1", s.TryAcquire(1))
	s.Release(3)

	// At most 3 workers hold it at once.
	var cur, max int64
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Acquire(ctx, 1); err != nil {
				return
			}
			n := atomic.AddInt64(&cur, 1)
			for {
				m := atomic.LoadInt64(&max)
				if n <= m || atomic.CompareAndSwapInt64(&max, m, n) {
					break
				}
			}
			runtime.Gosched()
			atomic.AddInt64(&cur, -1)
			s.Release(1)
		}()
	}
	wg.Wait()
	fmt.Println("max in flight <= 3", atomic.LoadInt64(&max) <= 3)

	// A full semaphore and a cancelled context: Acquire returns ctx.Err().
	// (Not tested with room to spare: x/sync v0.1.0 then succeeds even with a
	// done context; later versions and gocxx report the context's error.)
	s.Acquire(ctx, 3)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	fmt.Println("acquire, cancelled:", s.Acquire(cctx, 1))
	s.Release(3)

	// A request larger than the size waits until the context ends, and
	// leaves the semaphore as it was.
	tctx, cancel2 := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel2()
	fmt.Println("acquire 10 of 3:", s.Acquire(tctx, 10))
	fmt.Println("all 3 still free", s.TryAcquire(3))
	s.Release(3)

	// A context that ends while waiting.
	s.Acquire(ctx, 2)
	wctx, cancel3 := context.WithCancel(ctx)
	errc := make(chan error)
	go func() {
		errc <- s.Acquire(wctx, 2)
	}()
	for s.TryAcquire(1) { // until the request for 2 waits
		s.Release(1)
		runtime.Gosched()
	}
	cancel3()
	fmt.Println("waiting acquire:", <-errc)
	fmt.Println("1 still free", s.TryAcquire(1))
	s.Release(3)

	// FIFO: a large request at the head holds back smaller ones.
	s.Acquire(ctx, 2)
	big := make(chan bool)
	go func() {
		s.Acquire(ctx, 3)
		fmt.Println("big acquired")
		big <- true
	}()
	for s.TryAcquire(1) { // until the big request waits
		s.Release(1)
		runtime.Gosched()
	}
	fmt.Println("small requests held back behind the big one")
	small := make(chan bool)
	go func() {
		s.Acquire(ctx, 1)
		fmt.Println("small acquired")
		small <- true
	}()
	fmt.Println("release 2")
	s.Release(2)
	<-big
	fmt.Println("big releases 3")
	s.Release(3)
	<-small
	s.Release(1)
	fmt.Println("all free", s.TryAcquire(3))
}
