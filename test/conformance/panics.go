// Go's panics and their messages, word for word.
//
// sync's misuse errors (unlock of an unlocked Mutex or RWMutex) are fatal
// errors in Go, not recoverable panics: this program runs itself again for
// each of those and reports the message it died with.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

func try(name string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println(name, "-> panic:", r)
		}
	}()
	f()
	fmt.Println(name, "-> no panic")
}

func fatal(name string) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "CONFORMANCE_FATAL="+name)
	out, _ := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "fatal error: ") {
			fmt.Println(name, "-> panic:", strings.TrimPrefix(line, "fatal error: "))
			return
		}
	}
	fmt.Println(name, "-> no panic")
}

func runFatal(name string) {
	switch name {
	case "mutex unlock":
		var m sync.Mutex
		m.Unlock()
	case "rwmutex unlock":
		var rw sync.RWMutex
		rw.Unlock()
	case "rwmutex runlock":
		var rw sync.RWMutex
		rw.RUnlock()
	}
}

func main() {
	if name := os.Getenv("CONFORMANCE_FATAL"); name != "" {
		runFatal(name)
		return
	}

	try("send on closed", func() {
		c := make(chan int, 1)
		close(c)
		c <- 1
	})
	try("close of closed", func() {
		c := make(chan int)
		close(c)
		close(c)
	})
	try("close of nil", func() {
		var c chan int
		close(c)
	})
	try("select send on closed", func() {
		c := make(chan int, 1)
		close(c)
		select {
		case c <- 1:
		default:
		}
	})
	try("make negative", func() {
		n := -1
		_ = make(chan int, n)
	})
	try("receive from closed", func() {
		c := make(chan int)
		close(c)
		<-c
	})
	try("waitgroup done at zero", func() {
		var wg sync.WaitGroup
		wg.Done()
	})
	try("waitgroup add below zero", func() {
		var wg sync.WaitGroup
		wg.Add(1)
		wg.Add(-2)
	})
	try("semaphore over-release", func() {
		s := semaphore.NewWeighted(2)
		s.Acquire(context.Background(), 1)
		s.Release(2)
	})
	try("semaphore release", func() {
		s := semaphore.NewWeighted(2)
		s.Acquire(context.Background(), 2)
		s.Release(2)
	})
	try("ticker zero", func() {
		time.NewTicker(0)
	})
	try("ticker reset zero", func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		t.Reset(-1)
	})
	try("explicit panic", func() {
		panic("boom")
	})
	fatal("mutex unlock")
	fatal("rwmutex unlock")
	fatal("rwmutex runlock")

	// A panic inside a goroutine, recovered there.
	res := make(chan string)
	go func() {
		defer func() {
			res <- fmt.Sprint("goroutine recovered: ", recover())
		}()
		var c chan int
		close(c)
	}()
	fmt.Println(<-res)
}
