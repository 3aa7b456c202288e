// select_dynamic: reflect.Select, a select whose cases are known at run time.
package main

import (
	"fmt"
	"reflect"
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

func main() {
	// Fan-in over a slice of channels; a closed input is removed.
	const n = 8
	inputs := make([]chan int, n)
	for i := range inputs {
		inputs[i] = make(chan int, i%2)
		go func(i int, ch chan int) {
			for j := 1; j <= 10; j++ {
				ch <- i*100 + j
			}
			close(ch)
		}(i, inputs[i])
	}
	cases := make([]reflect.SelectCase, n)
	for i, ch := range inputs {
		cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch)}
	}
	sum, count, closed := 0, 0, 0
	for len(cases) > 0 {
		chosen, value, ok := reflect.Select(cases)
		if !ok {
			closed++
			cases = append(cases[:chosen], cases[chosen+1:]...)
			continue
		}
		sum += value.Interface().(int)
		count++
	}
	fmt.Println("fan-in", count, sum, "closed", closed)

	// A send case, a receive case and a default.
	a := make(chan int, 1)
	b := make(chan string, 1)
	sel := []reflect.SelectCase{
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(a)},
		{Dir: reflect.SelectSend, Chan: reflect.ValueOf(b), Send: reflect.ValueOf("hi")},
		{Dir: reflect.SelectDefault},
	}
	chosen, value, ok := reflect.Select(sel)
	fmt.Println("send", chosen, value.IsValid(), ok, <-b)
	b <- "full"
	chosen, value, ok = reflect.Select(sel)
	fmt.Println("default", chosen, value.IsValid(), ok)
	a <- 42
	chosen, value, ok = reflect.Select(sel)
	fmt.Println("recv", chosen, value.Interface().(int), ok)
	close(a)
	chosen, value, ok = reflect.Select(sel)
	fmt.Println("closed", chosen, value.IsValid(), value.Interface().(int), ok)
	sel[0].Chan = reflect.Value{}
	chosen, _, _ = reflect.Select(sel)
	fmt.Println("disabled", chosen)

	// Nil channels are never ready.
	var nilc chan int
	nils := []reflect.SelectCase{
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(nilc)},
		{Dir: reflect.SelectSend, Chan: reflect.ValueOf(nilc), Send: reflect.ValueOf(1)},
		{Dir: reflect.SelectDefault},
	}
	chosen, _, _ = reflect.Select(nils)
	fmt.Println("nil cases", chosen)

	// Strings and channels: the zero values are "" and nil.
	words := make(chan string)
	close(words)
	chans := make(chan chan int)
	close(chans)
	zs := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(words)}}
	_, value, ok = reflect.Select(zs)
	fmt.Printf("zero string %q %v\n", value.Interface().(string), ok)
	zs[0].Chan = reflect.ValueOf(chans)
	_, value, ok = reflect.Select(zs)
	c := value.Interface().(chan int)
	fmt.Println("zero chan", c == nil, ok)
	try("close zero chan", func() { close(c) })

	// Blocking until a case is ready.
	late := make(chan int)
	go func() { late <- 7 }()
	chosen, value, _ = reflect.Select([]reflect.SelectCase{
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(make(chan int))},
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(late)},
	})
	fmt.Println("late", chosen, value.Interface().(int))

	// Random choice among ready cases.
	x := make(chan int, 1)
	y := make(chan int, 1)
	xy := []reflect.SelectCase{
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(x)},
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(y)},
	}
	hits := [2]int{}
	for i := 0; i < 1000; i++ {
		if len(x) == 0 {
			x <- 1
		}
		if len(y) == 0 {
			y <- 2
		}
		chosen, _, _ := reflect.Select(xy)
		hits[chosen]++
	}
	fmt.Println("both chosen", hits[0] > 300 && hits[1] > 300, "total", hits[0]+hits[1])

	// Panics.
	shut := make(chan int, 1)
	close(shut)
	try("send on closed", func() {
		reflect.Select([]reflect.SelectCase{{Dir: reflect.SelectSend, Chan: reflect.ValueOf(shut), Send: reflect.ValueOf(1)}})
	})
	try("two defaults", func() {
		reflect.Select([]reflect.SelectCase{{Dir: reflect.SelectDefault}, {Dir: reflect.SelectDefault}})
	})
}
