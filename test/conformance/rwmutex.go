// sync.RWMutex: shared readers, exclusive writers; a waiting writer holds back new readers.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var rw sync.RWMutex
	rw.RLock()
	fmt.Println("second reader", rw.TryRLock())
	fmt.Println("writer while read-locked", rw.TryLock())
	rw.RUnlock()
	rw.RUnlock()
	fmt.Println("writer when free", rw.TryLock())
	fmt.Println("reader while write-locked", rw.TryRLock())
	rw.Unlock()

	// Two readers hold the lock at the same time.
	in := make(chan bool)
	release := make(chan bool)
	out := make(chan bool)
	for i := 0; i < 2; i++ {
		go func() {
			rw.RLock()
			in <- true
			<-release
			rw.RUnlock()
			out <- true
		}()
	}
	<-in
	<-in
	fmt.Println("both readers inside")
	close(release)
	<-out
	<-out

	// A writer waits for the readers; new readers wait behind the writer.
	rw.RLock()
	wrote := make(chan bool)
	go func() {
		rw.Lock()
		fmt.Println("writer")
		rw.Unlock()
		wrote <- true
	}()
	for rw.TryRLock() { // until the writer is waiting
		rw.RUnlock()
		runtime.Gosched()
	}
	fmt.Println("new readers held back")
	readDone := make(chan bool)
	go func() {
		rw.RLock()
		fmt.Println("reader after the writer")
		rw.RUnlock()
		readDone <- true
	}()
	fmt.Println("first reader leaves")
	rw.RUnlock()
	<-wrote
	<-readDone

	// Readers and writers on a shared map.
	m := map[int]int{}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				rw.Lock()
				m[i%10] += w
				rw.Unlock()
				rw.RLock()
				_ = m[i%10]
				rw.RUnlock()
			}
		}(w)
	}
	wg.Wait()
	sum := 0
	for _, v := range m {
		sum += v
	}
	fmt.Println("sum", sum)

	// RLocker: a Locker for the read side; a Cond of readers over it.
	rl := rw.RLocker()
	rl.Lock()
	fmt.Println("rlocker holds a read lock, TryLock:", rw.TryLock(), "TryRLock:", rw.TryRLock())
	rw.RUnlock()
	rl.Unlock()
	fmt.Println("after Unlock, TryLock:", rw.TryLock())
	rw.Unlock()
	cond := sync.NewCond(rw.RLocker())
	ready := false
	woke := make(chan int, 3)
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			rl.Lock()
			for !ready {
				cond.Wait()
			}
			rl.Unlock()
			woke <- r
		}(r)
	}
	rw.Lock()
	ready = true
	rw.Unlock()
	cond.Broadcast()
	wg.Wait()
	fmt.Println("readers woken", len(woke))
}
