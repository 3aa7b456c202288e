// Go's panics and their messages, word for word.
//
// sync's misuse errors (unlock of an unlocked Mutex or RWMutex) are fatal
// errors in Go, not recoverable panics (the Go program runs itself again to
// read them); gocxx throws Panic with the same message.
#include <string>

#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

template <class F>
void try_(const std::string& name, F f) {  // func try(name string, f func()) {
    try {
        f();                               //     f()
    } catch (const Panic& e) {             //     defer func() { if r := recover(); r != nil {
        fmt::Println(name, "-> panic:", e.what());
        return;
    }
    fmt::Println(name, "-> no panic");
}

int main() {
    return gocxx::run([] {
        try_("send on closed", [] {
            Channel<int> c(1);                       // c := make(chan int, 1)
            c.close();                               // close(c)
            c.send(1);                               // c <- 1
        });
        try_("close of closed", [] {
            Channel<int> c;                          // c := make(chan int)
            c.close();                               // close(c)
            c.close();                               // close(c)
        });
        try_("close of nil", [] {
            Channel<int> c = nullptr;                // var c chan int
            c.close();                               // close(c)
        });
        try_("select send on closed", [] {
            Channel<int> c(1);                       // c := make(chan int, 1)
            c.close();                               // close(c)
            select(case_send(c, 1), case_default()); // select { case c <- 1: default: }
        });
        try_("make negative", [] {
            int n = -1;                              // n := -1
            Channel<int> c(n);                       // _ = make(chan int, n)
        });
        try_("receive from closed", [] {
            Channel<int> c;                          // c := make(chan int)
            c.close();                               // close(c)
            c.recv();                                // <-c
        });
        try_("waitgroup done at zero", [] {
            sync::WaitGroup wg;                      // var wg sync.WaitGroup
            wg.done();                               // wg.Done()
        });
        try_("waitgroup add below zero", [] {
            sync::WaitGroup wg;                      // var wg sync.WaitGroup
            wg.add(1);                               // wg.Add(1)
            wg.add(-2);                              // wg.Add(-2)
        });
        try_("semaphore over-release", [] {
            sync::Semaphore s(2);                    // s := semaphore.NewWeighted(2)
            s.acquire(1);                            // s.Acquire(context.Background(), 1)
            s.release(2);                            // s.Release(2)
        });
        try_("semaphore release", [] {
            sync::Semaphore s(2);                    // s := semaphore.NewWeighted(2)
            s.acquire(2);                            // s.Acquire(context.Background(), 2)
            s.release(2);                            // s.Release(2)
        });
        try_("ticker zero", [] {
            time::Ticker t(0ns);                     // time.NewTicker(0)
        });
        try_("ticker reset zero", [] {
            time::Ticker t(1h);                      // t := time.NewTicker(time.Hour)
            t.reset(-1ns);                           // t.Reset(-1)
        });
        try_("explicit panic", [] {
            throw Panic("boom");                     // panic("boom")
        });
        try_("mutex unlock", [] {                    // fatal("mutex unlock")
            sync::Mutex m;                           // var m sync.Mutex
            m.unlock();                              // m.Unlock()
        });
        try_("rwmutex unlock", [] {                  // fatal("rwmutex unlock")
            sync::RWMutex rw;                        // var rw sync.RWMutex
            rw.unlock();                             // rw.Unlock()
        });
        try_("rwmutex runlock", [] {                 // fatal("rwmutex runlock")
            sync::RWMutex rw;                        // var rw sync.RWMutex
            rw.runlock();                            // rw.RUnlock()
        });

        // A panic inside a goroutine, recovered there.
        Channel<std::string> res;                    // res := make(chan string)
        go([res] {                                   // go func() {
            try {
                Channel<int> c = nullptr;            //     var c chan int
                c.close();                           //     close(c)
            } catch (const Panic& e) {               //     defer func() { res <- fmt.Sprint("goroutine recovered: ", recover()) }()
                res.send(fmt::Sprint("goroutine recovered: ", e.what()));
            }
        });
        fmt::Println(res.recv());                    // fmt.Println(<-res)
    });
}
