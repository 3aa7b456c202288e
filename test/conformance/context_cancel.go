// context: Background, TODO, WithCancel, WithValue, Done, Err, Deadline.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

type ctxKey int

const (
	userKey ctxKey = iota
	reqKey
)

func main() {
	bg := context.Background()
	fmt.Println("background done is nil", bg.Done() == nil)
	fmt.Println("background err", bg.Err())
	_, ok := bg.Deadline()
	fmt.Println("background has deadline", ok)
	fmt.Println("todo done is nil", context.TODO().Done() == nil)

	ctx, cancel := context.WithCancel(bg)
	fmt.Println("err before cancel", ctx.Err())
	select {
	case <-ctx.Done():
		fmt.Println("done early")
	default:
		fmt.Println("not done")
	}
	child, childCancel := context.WithCancel(ctx)
	defer childCancel()
	_, ok = child.Deadline()
	fmt.Println("child has deadline", ok)

	var wg sync.WaitGroup
	woken := make(chan bool, 5)
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-child.Done()
			woken <- true
		}()
	}
	cancel()
	wg.Wait()
	<-ctx.Done()
	fmt.Println("waiters woken", len(woken))
	fmt.Println("err after cancel", ctx.Err(), ctx.Err() == context.Canceled)
	fmt.Println("child err", child.Err())
	fmt.Println("same text is not the same error", ctx.Err() == errors.New("context canceled"))
	cancel()
	fmt.Println("cancel again", ctx.Err())

	// Derived from a cancelled context: cancelled at once.
	d, dcancel := context.WithCancel(ctx)
	fmt.Println("derived from cancelled", d.Err())
	dcancel()

	// Cancelling a child leaves the parent alone.
	p, pcancel := context.WithCancel(bg)
	c, ccancel := context.WithCancel(p)
	ccancel()
	fmt.Println("child", c.Err(), "parent", p.Err())
	pcancel()
	fmt.Println("parent", p.Err())

	// Cancel from another goroutine.
	g, gcancel := context.WithCancel(bg)
	go gcancel()
	<-g.Done()
	fmt.Println("cancelled elsewhere", g.Err())

	// Values travel down the chain.
	v1 := context.WithValue(bg, userKey, "alice")
	v2 := context.WithValue(v1, reqKey, 42)
	vc, vcancel := context.WithCancel(v2)
	defer vcancel()
	u, ok := vc.Value(userKey).(string)
	fmt.Println("user", u, ok)
	r, ok := vc.Value(reqKey).(int)
	fmt.Println("req", r, ok)
	_, ok = bg.Value(userKey).(string)
	fmt.Println("background has user", ok)
	_, ok = v1.Value(reqKey).(int)
	fmt.Println("parent sees child's value", ok)
	shadow := context.WithValue(vc, userKey, "bob")
	u, _ = shadow.Value(userKey).(string)
	u1, _ := vc.Value(userKey).(string)
	fmt.Println("shadowed", u, "original", u1)
}
