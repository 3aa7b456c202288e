// Duration.String: Go's text for every unit boundary, negatives and the
// extremes; time.Since and time.Until as ordering facts.
package main

import (
	"fmt"
	"math"
	"time"
)

func main() {
	for _, d := range []time.Duration{
		0,
		1,
		999,
		time.Microsecond,
		1500,
		999999,
		time.Millisecond,
		1000001,
		1500 * time.Microsecond,
		12345678,
		150 * time.Millisecond,
		999999999,
		time.Second,
		time.Second + 1,
		1500 * time.Millisecond,
		59 * time.Second,
		time.Minute,
		2 * time.Minute,
		90 * time.Second,
		61100 * time.Millisecond,
		time.Hour,
		time.Hour + 1,
		time.Hour + 2*time.Minute + 3500*time.Millisecond,
		24 * time.Hour,
		100*time.Hour + 59*time.Minute + 59*time.Second,
		-1,
		-1500 * time.Microsecond,
		-1500 * time.Millisecond,
		-2 * time.Minute,
		-(time.Hour + time.Second),
		math.MaxInt64,
		math.MinInt64,
		math.MinInt64 + 1,
	} {
		fmt.Println(int64(d), d.String())
	}

	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("since >= 20ms", time.Since(start) >= 20*time.Millisecond)
	fmt.Println("since < 1h", time.Since(start) < time.Hour)
	deadline := time.Now().Add(time.Hour)
	fmt.Println("until > 59m", time.Until(deadline) > 59*time.Minute)
	fmt.Println("until <= 1h", time.Until(deadline) <= time.Hour)
	fmt.Println("until past < 0", time.Until(start) < 0)
}
