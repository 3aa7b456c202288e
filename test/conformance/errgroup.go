// golang.org/x/sync/errgroup: Go, Wait, WithContext, SetLimit, TryGo.
package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

var errBad = errors.New("bad input")

func main() {
	var g errgroup.Group
	var mu sync.Mutex
	res := []int{}
	for i := 1; i <= 5; i++ {
		i := i
		g.Go(func() error {
			mu.Lock()
			res = append(res, i*10)
			mu.Unlock()
			return nil
		})
	}
	fmt.Println("wait:", g.Wait())
	sort.Ints(res)
	fmt.Println(res)

	// Wait returns the first error.
	var g2 errgroup.Group
	for i := 0; i < 5; i++ {
		i := i
		g2.Go(func() error {
			if i == 3 {
				return errBad
			}
			return nil
		})
	}
	err := g2.Wait()
	fmt.Println("wait:", err, err == errBad)

	// WithContext: the first error cancels the derived context.
	g3, ctx := errgroup.WithContext(context.Background())
	g3.Go(func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	g3.Go(func() error {
		return errBad
	})
	err = g3.Wait()
	fmt.Println("wait:", err, "ctx:", ctx.Err())

	// Wait cancels the derived context even when all succeed.
	g4, ctx4 := errgroup.WithContext(context.Background())
	g4.Go(func() error { return nil })
	fmt.Println("before wait, ctx:", ctx4.Err())
	err = g4.Wait()
	fmt.Println("wait:", err, "ctx:", ctx4.Err())

	// SetLimit(2): at most two functions run at once.
	var g5 errgroup.Group
	g5.SetLimit(2)
	var cur, max int64
	for i := 0; i < 10; i++ {
		g5.Go(func() error {
			n := atomic.AddInt64(&cur, 1)
			for {
				m := atomic.LoadInt64(&max)
				if n <= m || atomic.CompareAndSwapInt64(&max, m, n) {
					break
				}
			}
			runtime.Gosched()
			atomic.AddInt64(&cur, -1)
			return nil
		})
	}
	g5.Wait()
	fmt.Println("max running <= 2", atomic.LoadInt64(&max) <= 2)

	// TryGo does not start a function while the group is at its limit.
	var g6 errgroup.Group
	g6.SetLimit(1)
	block := make(chan struct{})
	g6.Go(func() error {
		<-block
		return nil
	})
	fmt.Println("trygo while full", g6.TryGo(func() error { return nil }))
	close(block)
	g6.Wait()
	fmt.Println("trygo when free", g6.TryGo(func() error { return nil }))
	fmt.Println("wait:", g6.Wait())

	// Go waits for a free slot at the limit.
	var g7 errgroup.Group
	g7.SetLimit(1)
	order := make(chan int, 3)
	for i := 0; i < 3; i++ {
		i := i
		g7.Go(func() error {
			order <- i
			return nil
		})
	}
	g7.Wait()
	close(order)
	seq := []int{}
	for v := range order {
		seq = append(seq, v)
	}
	fmt.Println("one at a time, in order", seq)
}
