// select with default: non-blocking selects, and which case index ran.
#include <string>

#include "fmt.hpp"

using namespace gocxx;

std::string state(const Channel<int>& c) {       // func state(c chan int) string {
    std::string r;
    select(                                      //     select {
        case_recv(c, [&](int v, bool ok) {       //     case v, ok := <-c:
            if (ok) {                            //         if ok {
                r = fmt::Sprint("value ", v);    //             return fmt.Sprint("value ", v)
                return;
            }
            r = "closed";                        //         return "closed"
        }),
        case_default([&] {                       //     default:
            r = "empty";                         //         return "empty"
        }));
    return r;
}

int main() {
    return gocxx::run([] {
        Channel<int> ch(1);                              // ch := make(chan int, 1)
        int idx = select(                                // idx := -1; select {
            case_recv(ch, [&](int v) {                   // case v := <-ch: idx = 0
                fmt::Println("got", v);
            }),
            case_default([&] {                           // default: idx = 1
                fmt::Println("nothing ready");
            }));
        fmt::Println("index", idx);

        ch.send(1);                                      // ch <- 1
        idx = select(                                    // select {
            case_recv(ch, [&](int v) {                   // case v := <-ch: idx = 0
                fmt::Println("got", v);
            }),
            case_default([&] {                           // default: idx = 1
                fmt::Println("nothing ready");
            }));
        fmt::Println("index", idx);

        // default may come first; the indexes follow the order written.
        ch.send(2);                                      // ch <- 2
        idx = select(                                    // select {
            case_default([&] {                           // default: idx = 0
                fmt::Println("default");
            }),
            case_recv(ch, [&](int v) {                   // case v := <-ch: idx = 1
                fmt::Println("got", v);
            }));
        fmt::Println("index", idx);

        // Non-blocking send.
        ch.send(3);                                      // ch <- 3
        idx = select(                                    // select {
            case_send(ch, 4, [&] {                       // case ch <- 4: idx = 0
                fmt::Println("sent 4");
            }),
            case_default([&] {                           // default: idx = 1
                fmt::Println("full: dropped 4");
            }));
        fmt::Println("index", idx);
        fmt::Println(state(ch));
        fmt::Println(state(ch));
        ch.send(5);                                      // ch <- 5
        ch.close();                                      // close(ch)
        fmt::Println(state(ch));
        fmt::Println(state(ch));

        // An unbuffered channel with nobody on the other side is never ready.
        Channel<int> u;                                  // u := make(chan int)
        int hits = 0;                                    // hits := 0
        for (int i = 0; i < 100; i++) {                  // for i := 0; i < 100; i++ {
            select(                                      //     select {
                case_send(u, i, [&] { hits++; }),        //     case u <- i: hits++
                case_recv(u, [&] { hits++; }),           //     case <-u: hits++
                case_default());                         //     default:
        }
        fmt::Println("hits", hits);

        // Poll with default until a goroutine's value arrives.
        Channel<std::string> res;                        // res := make(chan string)
        go([res] {                                       // go func() {
            res.send("result");                          //     res <- "result"
        });
        std::string r;                                   // var r string
        for (bool polling = true; polling;) {            // for polling := true; polling; {
            select(                                      //     select {
                case_recv(res, [&](std::string v) {      //     case r = <-res:
                    r = v;
                    polling = false;                     //         polling = false
                }),
                case_default([&] {                       //     default:
                    runtime::gosched();                  //         runtime.Gosched()
                }));
        }
        fmt::Println("polled", r);

        // An empty select with only a default.
        select(                                          // select {
            case_default([&] {                           // default:
                fmt::Println("only default");
            }));
    });
}
