// select_index: case bodies that return, continue, or break a labelled loop
// (gocxx's index form: select returns the case index, the body is a switch).
//
// A Go `break` inside a select leaves the select; a C++ `break` inside the
// switch leaves the switch: the same. `continue` and `return` reach the loop
// and the function, which they could not from inside a callback. Go's
// `break label` is a `goto` to just past the loop.
#include <string>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

// A worker loop that ends with a return from inside a case body.
int sum_odd(RecvChannel<int> data, RecvChannel<Unit> done) {  // func sumOdd(data <-chan int, done <-chan struct{}) int {
    int total = 0;                                              //     total := 0
    int v;
    for (;;) {                                                  //     for {
        switch (select(                                         //         select {
            case_recv(data, into(v)),                           //         case v := <-data:
            case_recv(done))) {                                 //         case <-done:
            case 0:
                if (v % 2 == 0) {                               //             if v%2 == 0 {
                    continue;                                   //                 continue
                }
                total += v;                                     //             total += v
                break;
            case 1:
                return total;                                   //             return total
        }
    }
}

// The first value above limit, or -1 once in is closed.
int first_above(RecvChannel<int> in, int limit) {  // func firstAbove(in <-chan int, limit int) int {
    int v;                                           //     var v int
    bool ok;                                         //     var ok bool
    for (;;) {                                       //     for {
        switch (select(                              //         select {
            case_recv(in, into(v, ok)))) {           //         case v, ok = <-in:
            case 0:
                if (!ok) {                           //             if !ok {
                    return -1;                       //                 return -1
                }
                if (v > limit) {                     //             if v > limit {
                    return v;                        //                 return v
                }
        }
    }
}

void try_close(Channel<int> c) {  // func tryClose(c chan int) {
    try {
        c.close();                  //     close(c)
    } catch (const Panic& e) {      //     defer func() { if r := recover(); r != nil {
        fmt::Println("close -> panic:", e.what());
        return;
    }
    fmt::Println("close -> no panic");
}

int main() {
    return gocxx::run([] {
        // return from the loop
        Channel<int> data;                                      // data := make(chan int)
        Channel<Unit> done;                                     // done := make(chan struct{})
        go([=] {                                                // go func() {
            for (int i = 1; i <= 6; i++) {                      //     for i := 1; i <= 6; i++ {
                data.send(i);                                   //         data <- i
            }
            done.close();                                       //     close(done)
        });
        fmt::Println("sum of odd", sum_odd(data, done));

        Channel<int> in(5);                                     // in := make(chan int, 5)
        for (int x : {3, 8, 12, 20}) {                          // for _, x := range []int{3, 8, 12, 20} {
            in.send(x);                                         //     in <- x
        }
        fmt::Println("first above 10", first_above(in, 10));
        in.close();                                             // close(in)
        fmt::Println("first above 100", first_above(in, 100));

        // labelled break and continue; a closed channel gives the zero value and false
        Channel<int> ch(10);                                    // ch := make(chan int, 10)
        for (int i = 0; i < 10; i++) {                          // for i := 0; i < 10; i++ {
            ch.send(i * 10);                                    //     ch <- i * 10
        }
        ch.close();                                             // close(ch)
        int count = 0, skipped = 0;                             // count, skipped := 0, 0
        int v;                                                  // var v int
        bool ok;                                                // var ok bool
        for (;;) {                                              // loop: for {
            switch (select(                                     //     select {
                case_recv(ch, into(v, ok)))) {                  //     case v, ok = <-ch:
                case 0:
                    if (!ok) {                                  //         if !ok {
                        fmt::Println("closed", v, ok);
                        goto loop_end;                          //             break loop
                    }
                    if (v == 30 || v == 70) {                   //         if v == 30 || v == 70 {
                        skipped++;                              //             skipped++
                        continue;                               //             continue
                    }
                    if (v == 90) {                              //         if v == 90 {
                        fmt::Println("last", v, ok);
                        break;                                  //             break // leaves the select only
                    }
                    count++;                                    //         count++
            }
        }
    loop_end:
        fmt::Println("count", count, "skipped", skipped);

        // v = <-a without ok, then a closed channel into the same variable
        Channel<int> a(1);                                      // a := make(chan int, 1)
        Channel<int> b;                                         // b := make(chan int)
        b.close();                                              // close(b)
        a.send(5);                                              // a <- 5
        switch (select(case_recv(a, into(v)))) {                // select { case v = <-a:
            case 0: fmt::Println("a", v);
        }
        v = 99;                                                 // v = 99
        switch (select(case_recv(b, into(v)))) {                // select { case v = <-b:
            case 0: fmt::Println("b", v);
        }

        // send case and default
        Channel<int> out(2);                                    // out := make(chan int, 2)
        int sent = 0;                                           // sent := 0
        for (int i = 0; i < 5; i++) {                           // for i := 0; i < 5; i++ {
            switch (select(                                     //     select {
                case_send(out, i * 100),                        //     case out <- i * 100:
                case_default())) {                              //     default:
                case 0: sent++; break;                          //         sent++
                case 1: fmt::Println("full at", i); break;      //         fmt.Println("full at", i)
            }
        }
        {
            int o1 = out.recv(), o2 = out.recv();
            fmt::Println("sent", sent, o1, o2);
        }

        // nothing ready: default, and the variables are left as they were
        Channel<int> empty;                                     // empty := make(chan int)
        out.send(1);                                            // out <- 1
        out.send(2);                                            // out <- 2
        v = 7, ok = true;                                       // v, ok = 7, true
        switch (select(                                         // select {
            case_recv(empty, into(v, ok)),                      // case v, ok = <-empty:
            case_send(out, 3),                                  // case out <- 3:
            case_default())) {                                  // default:
            case 0: fmt::Println("received?"); break;
            case 1: fmt::Println("sent 3"); break;
            case 2: fmt::Println("default", v, ok); break;
        }
        {
            int o1 = out.recv(), o2 = out.recv();
            fmt::Println("out has", o1, o2);
        }

        // a string and a channel of channels: the zero values are "" and nil
        Channel<std::string> words(1);                          // words := make(chan string, 1)
        words.send("go");                                       // words <- "go"
        std::string w;                                          // var w string
        switch (select(case_recv(words, into(w, ok)))) {        // select { case w, ok = <-words:
            case 0: fmt::Println("word", w, ok);
        }
        words.close();                                          // close(words)
        switch (select(case_recv(words, into(w, ok)))) {        // select { case w, ok = <-words:
            case 0: fmt::Println("word", fmt::quote(w), ok);    //     fmt.Printf("word %q %v\n", w, ok)
        }
        Channel<Channel<int>> chans(1);                         // chans := make(chan chan int, 1)
        Channel<int> inner(1);                                  // inner := make(chan int, 1)
        chans.send(inner);                                      // chans <- inner
        chans.close();                                          // close(chans)
        Channel<int> c = nullptr;                               // var c chan int
        for (int round = 0; round < 2; round++) {               // for round := 0; round < 2; round++ {
            switch (select(case_recv(chans, into(c, ok)))) {    //     select { case c, ok = <-chans:
                case 0: fmt::Println("chan", round, c == nullptr, c == inner, ok);
            }
        }
        try_close(c);                                           // tryClose(c)
        switch (select(                                         // select {
            case_send(c, 1),                                    // case c <- 1:
            case_recv(c),                                       // case <-c:
            case_default())) {                                  // default:
            case 0: fmt::Println("sent on nil"); break;
            case 1: fmt::Println("received from nil"); break;
            case 2: fmt::Println("nil channel never ready"); break;
        }

        // several cases in a loop, with the choice reported only in total
        Channel<int> x(1);                                      // x := make(chan int, 1)
        Channel<int> y(1);                                      // y := make(chan int, 1)
        int nx = 0, ny = 0;                                     // nx, ny := 0, 0
        for (int i = 0; i < 1000; i++) {                        // for i := 0; i < 1000; i++ {
            if (x.len() == 0) {                                 //     if len(x) == 0 {
                x.send(1);                                      //         x <- 1
            }
            if (y.len() == 0) {                                 //     if len(y) == 0 {
                y.send(2);                                      //         y <- 2
            }
            switch (select(                                     //     select {
                case_recv(x, into(v)),                          //     case v = <-x:
                case_recv(y, into(v)))) {                       //     case v = <-y:
                case 0: nx += v; break;                         //         nx += v
                case 1: ny += v / 2; break;                     //         ny += v / 2
            }
        }
        fmt::Println("both chosen", nx > 0 && ny > 0, "total", nx + ny);
    });
}
