// Go's panics and their messages, word for word.
//
// sync's misuse errors (unlock of an unlocked Mutex or RWMutex) are fatal
// errors, not recoverable panics, in Go and in gocxx: the program runs itself
// again for each of those and reports the message it died with.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
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

void fatal(const std::string& name) {           // func fatal(name string) {
    // cmd := exec.Command(os.Args[0]); cmd.Env = ...CONFORMANCE_FATAL=name; cmd.CombinedOutput()
    char self[4096] = {};
    if (::readlink("/proc/self/exe", self, sizeof self - 1) < 0) return;
    const std::string cmd = "CONFORMANCE_FATAL='" + name + "' '" + self + "' 2>&1";
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        ::pclose(p);
    }
    std::size_t start = 0;                      // for _, line := range strings.Split(string(out), "\n") {
    while (start <= out.size()) {
        std::size_t end = out.find('\n', start);
        if (end == std::string::npos) end = out.size();
        const std::string line = out.substr(start, end - start);
        if (line.rfind("fatal error: ", 0) == 0) {
            fmt::Println(name, "-> panic:", line.substr(13));
            return;
        }
        start = end + 1;
    }
    fmt::Println(name, "-> no panic");
}

void run_fatal(const std::string& name) {      // func runFatal(name string) {
    if (name == "mutex unlock") {
        sync::Mutex m;                           // var m sync.Mutex
        m.unlock();                              // m.Unlock()
    } else if (name == "rwmutex unlock") {
        sync::RWMutex rw;                        // var rw sync.RWMutex
        rw.unlock();                             // rw.Unlock()
    } else if (name == "rwmutex runlock") {
        sync::RWMutex rw;                        // var rw sync.RWMutex
        rw.runlock();                            // rw.RUnlock()
    }
}

int main() {
    return gocxx::run([] {
        if (const char* name = std::getenv("CONFORMANCE_FATAL")) {
            run_fatal(name);
            return;
        }
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
        fatal("mutex unlock");
        fatal("rwmutex unlock");
        fatal("rwmutex runlock");

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
