// How a process ends on Go's fatal errors and unrecovered panics, one case
// per argv[1]; each prints a line to (piped, so buffered) stdout first, which
// must not be lost.
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include <gocxx/gocxx.hpp>

using namespace gocxx;

namespace {

void before() { std::printf("before\n"); }  // buffered: the pipe is not a tty

int in_run(const std::string& c) {
    return gocxx::run([&c] {
        before();
        if (c == "mutex_unlock") {
            sync::Mutex m;
            m.unlock();
        } else if (c == "mutex_unlock_twice") {
            sync::Mutex m;
            m.lock();
            m.unlock();
            m.unlock();
        } else if (c == "mutex_unlock_caught") {  // not an exception: nothing catches it
            sync::Mutex m;
            try {
                m.unlock();
            } catch (...) {
                std::printf("caught\n");
            }
        } else if (c == "rwmutex_unlock") {
            sync::RWMutex rw;
            rw.unlock();
        } else if (c == "rwmutex_unlock_rlocked") {
            sync::RWMutex rw;
            rw.rlock();
            rw.unlock();
        } else if (c == "rwmutex_runlock") {
            sync::RWMutex rw;
            rw.runlock();
        } else if (c == "rwmutex_runlock_locked") {
            sync::RWMutex rw;
            rw.lock();
            rw.runlock();
        } else if (c == "mutex_unlock_in_goroutine") {
            Channel<int> never;
            go([] {
                sync::Mutex m;
                m.unlock();
            });
            never.recv();
        } else if (c == "main_panic") {
            throw Panic("boom");
        } else if (c == "main_runtime_error") {
            throw std::runtime_error("bad input");
        } else if (c == "main_error") {
            throw Error("disk full");
        } else if (c == "main_int") {
            throw 42;
        } else if (c == "main_panic_after_goroutines") {
            Channel<int> ch;
            for (int i = 0; i < 10; ++i) go([ch] { ch.recv(); });
            throw Panic("boom");
        } else if (c == "goroutine_panic") {
            Channel<int> never;
            go([] { throw Panic("boom in goroutine"); });
            never.recv();
        }
        std::printf("unreachable\n");
    });
}

}  // namespace

int main(int argc, char** argv) {
    const std::string c = argc > 1 ? argv[1] : "";
    if (c == "plain_mutex_unlock") {  // no goroutine has run: no scheduler
        before();
        sync::Mutex m;
        m.unlock();
        std::printf("unreachable\n");
        return 0;
    }
    if (c == "main_panic_caught") {  // a C++ caller that wants the exception
        try {
            in_run("main_panic");
        } catch (const Panic& p) {
            std::printf("caught %s\n", p.what());
            return 3;
        }
        return 0;
    }
    if (c == "other_terminate_after_caught") {
        // A run() failure caught, then an unrelated exception nobody catches:
        // std::terminate as always (abort), not a Go panic report.
        try {
            in_run("main_panic");
        } catch (const Panic&) {
            std::printf("caught\n");
        }
        std::fflush(stdout);
        throw std::logic_error("not from run");
    }
    return in_run(c);
}
