// go f(x, y), go func() { ... }(): arguments are evaluated at the go statement.
#include <algorithm>
#include <string>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

void worker(int id, int factor, SendChannel<int> out) {  // func worker(id int, factor int, out chan<- int) {
    out.send(id * factor);                               //     out <- id * factor
}

void show(int x, SendChannel<int> done) {  // func show(x int, done chan<- int) {
    done.send(x);                          //     done <- x
}

int main() {
    return gocxx::run([] {
        Channel<int> out;                     // out := make(chan int)
        for (int i = 0; i < 5; i++) {         // for i := 0; i < 5; i++ {
            go(worker, i, 10, out);           //     go worker(i, 10, out)
        }
        std::vector<int> res;                 // res := []int{}
        for (int i = 0; i < 5; i++) {         // for i := 0; i < 5; i++ {
            res.push_back(out.recv());        //     res = append(res, <-out)
        }
        std::sort(res.begin(), res.end());    // sort.Ints(res)
        fmt::Println("results", res);         // fmt.Println("results", res)

        int x = 1;                            // x := 1
        Channel<int> done;                    // done := make(chan int)
        go(show, x, done);                    // go show(x, done) // x is evaluated now
        x = 2;                                // x = 2
        fmt::Println("show got", done.recv(), "x is", x);

        Channel<std::string> msgs;                            // msgs := make(chan string)
        for (std::string name : {"a", "b", "c"}) {            // for _, name := range []string{"a", "b", "c"} {
            go([msgs](std::string n) {                        //     go func(n string) {
                msgs.send("hello " + n);                      //         msgs <- "hello " + n
            }, name);                                         //     }(name)
        }
        std::vector<std::string> got;                         // got := []string{}
        for (int i = 0; i < 3; i++) {                         // for i := 0; i < 3; i++ {
            got.push_back(msgs.recv());                       //     got = append(got, <-msgs)
        }
        std::sort(got.begin(), got.end());                    // sort.Strings(got)
        for (const auto& m : got) {                           // for _, m := range got {
            fmt::Println(m);                                  //     fmt.Println(m)
        }

        // A chain of goroutines, each passing its input plus one to the next.
        Channel<int> first;                                   // first := make(chan int)
        Channel<int> in = first;                              // in := first
        for (int i = 0; i < 100; i++) {                       // for i := 0; i < 100; i++ {
            Channel<int> next;                                //     next := make(chan int)
            go([](RecvChannel<int> in, SendChannel<int> out) {  // go func(in <-chan int, out chan<- int) {
                out.send(1 + in.recv());                      //         out <- 1 + <-in
            }, in, next);                                     //     }(in, next)
            in = next;                                        //     in = next
        }
        first.send(0);                                        // first <- 0
        fmt::Println("chain", in.recv());                     // fmt.Println("chain", <-in)
    });
}
