// sync.Once: runs f once; done even when f panics; later callers wait for the first.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var once sync.Once
	count := 0
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { count++ })
		}()
	}
	wg.Wait()
	fmt.Println("count", count)
	once.Do(func() { count++ })
	fmt.Println("count", count)

	var o2 sync.Once
	func() {
		defer func() {
			fmt.Println("recovered:", recover())
		}()
		o2.Do(func() { panic("boom") })
	}()
	ran := false
	o2.Do(func() { ran = true })
	fmt.Println("second Do ran", ran)

	var o3 sync.Once
	started := make(chan bool)
	finish := make(chan bool)
	value := 0
	go func() {
		o3.Do(func() {
			started <- true
			<-finish
			value = 42
		})
	}()
	<-started
	res := make(chan int)
	go func() {
		o3.Do(func() { value = -1 })
		res <- value
	}()
	close(finish)
	fmt.Println("second caller sees", <-res)
}
