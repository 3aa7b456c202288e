// gobench: the Go side of bench/compare.py, the side-by-side harness
// (gocxx vs Go vs Boost.Fiber). Workloads follow crossbeam-channel's Go suite
// (benchmarks/go.go: seq, spsc, mpsc, mpmc, select_rx, select_both over
// uint64 messages, 4 threads), plus ping-pong, goroutine spawn, parked
// goroutines and the semaphore workload of the article.
//
//	go build -o gobench bench/go/main.go && ./gobench spsc_0
//
// Runs one workload once and prints one line: WORKLOAD VALUE UNIT.
// The same workloads, with the same names and counts, are in
// bench/compare/gocxx_workloads.cpp and bench/compare/fiber_workloads.cpp.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	threads    = 4         // producers, consumers, select channels
	seqMsgs    = 2_000_000 // seq: one goroutine, no hand-offs
	chanMsgs   = 1_000_000 // spsc, mpsc, mpmc (buffered)
	unbufMsgs  = 400_000   // spsc, mpsc, mpmc (unbuffered / cap 1)
	selectMsgs = 400_000   // select_rx, select_both
	pingPongs  = 200_000   // round trips
	spawnN     = 1_000_000 // goroutines started and finished
	parkedN    = 100_000   // goroutines parked at once
	semTasks   = 2_000     // semaphore: tasks
	semLimit   = 100       //            in flight at most
	semSleep   = time.Millisecond
)

func msgsFor(cap int) int {
	if cap <= 1 {
		return unbufMsgs
	}
	return chanMsgs
}

func sumTo(n uint64) uint64 { return n * (n - 1) / 2 }

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "gobench: check failed:", msg)
	os.Exit(1)
}

func perMsg(t0 time.Time, n int) float64 {
	return float64(time.Since(t0).Nanoseconds()) / float64(n)
}

func seq(cap int) float64 {
	n := seqMsgs
	t0 := time.Now()
	c := make(chan uint64, cap)
	var sum uint64
	for i := 0; i < n; i += cap {
		b := cap
		if n-i < b {
			b = n - i
		}
		for j := 0; j < b; j++ {
			c <- uint64(i + j)
		}
		for j := 0; j < b; j++ {
			sum += <-c
		}
	}
	if sum != sumTo(uint64(n)) {
		fail("seq sum")
	}
	return perMsg(t0, n)
}

func spsc(cap int) float64 {
	n := msgsFor(cap)
	t0 := time.Now()
	c := make(chan uint64, cap)
	done := make(chan bool)
	go func() {
		for i := 0; i < n; i++ {
			c <- uint64(i)
		}
		done <- true
	}()
	var sum uint64
	for i := 0; i < n; i++ {
		sum += <-c
	}
	<-done
	if sum != sumTo(uint64(n)) {
		fail("spsc sum")
	}
	return perMsg(t0, n)
}

func mpsc(cap int) float64 {
	n := msgsFor(cap)
	t0 := time.Now()
	c := make(chan uint64, cap)
	done := make(chan bool)
	for t := 0; t < threads; t++ {
		go func() {
			for i := 0; i < n/threads; i++ {
				c <- uint64(i)
			}
			done <- true
		}()
	}
	var sum uint64
	for i := 0; i < n; i++ {
		sum += <-c
	}
	for t := 0; t < threads; t++ {
		<-done
	}
	if sum != threads*sumTo(uint64(n/threads)) {
		fail("mpsc sum")
	}
	return perMsg(t0, n)
}

func mpmc(cap int) float64 {
	n := msgsFor(cap)
	t0 := time.Now()
	c := make(chan uint64, cap)
	done := make(chan uint64)
	for t := 0; t < threads; t++ {
		go func() {
			for i := 0; i < n/threads; i++ {
				c <- uint64(i)
			}
			done <- 0
		}()
	}
	for t := 0; t < threads; t++ {
		go func() {
			var sum uint64
			for i := 0; i < n/threads; i++ {
				sum += <-c
			}
			done <- sum
		}()
	}
	var sum uint64
	for t := 0; t < 2*threads; t++ {
		sum += <-done
	}
	if sum != threads*sumTo(uint64(n/threads)) {
		fail("mpmc sum")
	}
	return perMsg(t0, n)
}

func selectRx(cap int) float64 {
	n := selectMsgs
	t0 := time.Now()
	c0, c1, c2, c3 := make(chan uint64, cap), make(chan uint64, cap), make(chan uint64, cap), make(chan uint64, cap)
	done := make(chan bool)
	for _, c := range []chan uint64{c0, c1, c2, c3} {
		go func(c chan uint64) {
			for i := 0; i < n/threads; i++ {
				c <- uint64(i)
			}
			done <- true
		}(c)
	}
	var sum uint64
	for i := 0; i < n; i++ {
		select {
		case v := <-c0:
			sum += v
		case v := <-c1:
			sum += v
		case v := <-c2:
			sum += v
		case v := <-c3:
			sum += v
		}
	}
	for t := 0; t < threads; t++ {
		<-done
	}
	if sum != threads*sumTo(uint64(n/threads)) {
		fail("select_rx sum")
	}
	return perMsg(t0, n)
}

func selectBoth(cap int) float64 {
	n := selectMsgs
	t0 := time.Now()
	c0, c1, c2, c3 := make(chan uint64, cap), make(chan uint64, cap), make(chan uint64, cap), make(chan uint64, cap)
	done := make(chan uint64)
	for t := 0; t < threads; t++ {
		go func() {
			for i := 0; i < n/threads; i++ {
				m := uint64(i)
				select {
				case c0 <- m:
				case c1 <- m:
				case c2 <- m:
				case c3 <- m:
				}
			}
			done <- 0
		}()
	}
	for t := 0; t < threads; t++ {
		go func() {
			var sum uint64
			for i := 0; i < n/threads; i++ {
				select {
				case v := <-c0:
					sum += v
				case v := <-c1:
					sum += v
				case v := <-c2:
					sum += v
				case v := <-c3:
					sum += v
				}
			}
			done <- sum
		}()
	}
	var sum uint64
	for t := 0; t < 2*threads; t++ {
		sum += <-done
	}
	if sum != threads*sumTo(uint64(n/threads)) {
		fail("select_both sum")
	}
	return perMsg(t0, n)
}

func pingPong() float64 {
	n := pingPongs
	t0 := time.Now()
	ping, pong := make(chan uint64), make(chan uint64)
	go func() {
		for i := 0; i < n; i++ {
			pong <- (<-ping) + 1
		}
	}()
	var v uint64
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
	}
	if v != uint64(n) {
		fail("ping_pong value")
	}
	return perMsg(t0, n)
}

func spawn() float64 {
	n := spawnN
	t0 := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { wg.Done() }()
	}
	wg.Wait()
	return perMsg(t0, n)
}

// statusKB reads a field (VmRSS, VmHWM) of /proc/self/status, in bytes.
func statusBytes(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		fail(err.Error())
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if strings.HasPrefix(line, field+":") {
			fs := strings.Fields(line[len(field)+1:])
			kb, err := strconv.ParseFloat(fs[0], 64)
			if err != nil {
				fail(err.Error())
			}
			return kb * 1024
		}
	}
	fail("no " + field + " in /proc/self/status")
	return 0
}

// parked starts parkedN goroutines that all wait on one channel, and returns
// the peak RSS they added (bytes per goroutine) and the time to release them
// all: close the channel, wg.Wait (ns per goroutine).
func parked() (rssPer, releasePer float64) {
	n := parkedN
	rss0 := statusBytes("VmRSS")
	gate := make(chan struct{})
	var ready, wg sync.WaitGroup
	ready.Add(n)
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			ready.Done()
			<-gate
			wg.Done()
		}()
	}
	ready.Wait()
	hwm := statusBytes("VmHWM")
	t0 := time.Now()
	close(gate)
	wg.Wait()
	releasePer = perMsg(t0, n)
	return (hwm - rss0) / float64(n), releasePer
}

func semaphore() float64 {
	t0 := time.Now()
	sem := make(chan struct{}, semLimit)
	var wg sync.WaitGroup
	for i := 0; i < semTasks; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			time.Sleep(semSleep)
			<-sem
			wg.Done()
		}()
	}
	wg.Wait()
	return float64(time.Since(t0).Nanoseconds()) / 1e6
}

type workload struct {
	unit string
	run  func() float64
}

func workloads() map[string]workload {
	w := map[string]workload{}
	for _, c := range []int{1, 1024} {
		c := c
		w[fmt.Sprintf("seq_%d", c)] = workload{"ns/msg", func() float64 { return seq(c) }}
	}
	for _, c := range []int{0, 1, 1024} {
		c := c
		w[fmt.Sprintf("spsc_%d", c)] = workload{"ns/msg", func() float64 { return spsc(c) }}
		w[fmt.Sprintf("mpsc_%d", c)] = workload{"ns/msg", func() float64 { return mpsc(c) }}
		w[fmt.Sprintf("mpmc_%d", c)] = workload{"ns/msg", func() float64 { return mpmc(c) }}
	}
	for _, c := range []int{0, 1024} {
		c := c
		w[fmt.Sprintf("select_rx_%d", c)] = workload{"ns/msg", func() float64 { return selectRx(c) }}
		w[fmt.Sprintf("select_both_%d", c)] = workload{"ns/msg", func() float64 { return selectBoth(c) }}
	}
	w["ping_pong"] = workload{"ns/roundtrip", pingPong}
	w["spawn"] = workload{"ns/goroutine", spawn}
	w["parked_rss"] = workload{"bytes/goroutine", func() float64 { r, _ := parked(); return r }}
	w["parked_release"] = workload{"ns/goroutine", func() float64 { _, t := parked(); return t }}
	w["semaphore"] = workload{"ms", semaphore}
	return w
}

func main() {
	w := workloads()
	if len(os.Args) != 2 || w[os.Args[1]].run == nil {
		if len(os.Args) == 2 && os.Args[1] == "semaphore_sleep_for" {
			fmt.Println("semaphore_sleep_for n/a")
			return
		}
		names := make([]string, 0, len(w))
		for k := range w {
			names = append(names, k)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: gobench WORKLOAD\nworkloads: %s\n", strings.Join(names, " "))
		os.Exit(2)
	}
	name := os.Args[1]
	v := w[name].run()
	fmt.Printf("%s %.2f %s\n", name, v, w[name].unit)
}
