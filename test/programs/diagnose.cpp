// The child process of test/unit/diagnostics_test.cpp: each mode (argv[1])
// ends in a state the runtime must diagnose (a deadlock, SIGQUIT, running
// out of memory), or one it must not take for a deadlock.
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <new>
#include <vector>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>

#include <gocxx/gocxx.hpp>

using namespace gocxx;
using namespace std::chrono_literals;

namespace {

// Go's smallest deadlock with a second goroutine: main waits for a
// goroutine that waits for a value nobody sends.
void waitgroup_stuck() {
    std::cout << "before" << std::endl;
    sync::WaitGroup wg;
    wg.add(1);
    Channel<int> never;
    go([&wg, never] {
        never.recv();
        wg.done();
    });
    wg.wait();
    std::cout << "unreachable" << std::endl;
}

long vm_size_bytes() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmSize:", 0) == 0) return std::atol(line.c_str() + 7) * 1024;
    return -1;
}

// Address space runs out: go() must throw a clear, catchable error, and the
// goroutines that exist must keep working.
int exhaust() {
    runtime::gomaxprocs(2);
    Channel<Unit> release;
    sync::WaitGroup wg;
    wg.add(1);
    go([&wg] { wg.done(); });  // the scheduler and its threads exist before the limit
    wg.wait();
    // The exception that reports the shortage is thrown and unwound with
    // the address space full: keep free memory in this thread's malloc
    // arena for the unwinder (it failed to allocate 1 run in ~10 under load,
    // and std::terminate followed). Freed small blocks stay in the arena.
    ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
    {
        std::vector<void*> blocks;
        for (int i = 0; i < 8192; ++i) blocks.push_back(std::malloc(256));
        for (void* b : blocks) std::free(b);
    }
    const long vm = vm_size_bytes();
    const rlim_t limit = static_cast<rlim_t>(vm + (64L << 20));
    rlimit rl{limit, limit};
    if (vm < 0 || setrlimit(RLIMIT_AS, &rl) != 0) {
        std::cout << "setrlimit failed" << std::endl;
        return 1;
    }
    long started = 0;
    std::string error = "none";
    for (int i = 0; i < 1000000; ++i) {
        wg.add(1);
        try {
            go([&wg, release] {
                release.recv();
                wg.done();
            });
            ++started;
        } catch (const std::system_error& e) {
            wg.done();
            error = e.what();
            break;
        }
    }
    std::cout << "error: " << error << "\n";
    std::cout << "started some: " << (started > 0) << "\n";
    // A worker thread cannot be had either: gomaxprocs must not fail for it.
    runtime::gomaxprocs(8);
    release.close();
    wg.wait();  // every goroutine that started finishes
    for (int i = 0; i < 10000 && runtime::num_goroutine() > 0; ++i) ::usleep(1000);  // they leave just after done()
    std::cout << "released: " << runtime::num_goroutine() << "\n";
    // And new goroutines run again on the stacks they gave back.
    long sum = 0;
    Channel<int> results(16);
    for (int i = 1; i <= 16; ++i) go([results, i] { results.send(i); });
    for (int i = 0; i < 16; ++i) sum += results.recv();
    std::cout << "sum: " << sum << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "deadlock_thread") {  // main itself, a plain thread, waits
        std::cout << "before" << std::endl;
        Channel<int> ch;
        std::cout << ch.recv() << "unreachable" << std::endl;
    } else if (mode == "deadlock_run") {
        return run(waitgroup_stuck);
    } else if (mode == "deadlock_nil") {
        return run([] {
            Channel<int> ch = nullptr;
            ch.recv();
        });
    } else if (mode == "deadlock_mutex") {
        return run([] {
            sync::Mutex m;
            m.lock();
            m.lock();
        });
    } else if (mode == "deadlock_select") {
        return run([] {
            Channel<int> a, b;
            select(case_recv(a, [](int) {}), case_send(b, 1));
        });
    } else if (mode == "buffered_stdout") {
        // Output still in the C++ stream's buffer is written before the report.
        std::ios::sync_with_stdio(false);
        std::cout << "buffered line\n";
        Channel<int> ch;
        ch.recv();
    } else if (mode == "no_deadlock_thread") {
        // A thread gocxx knows nothing of sends, later: never a deadlock.
        Channel<int> ch;
        std::thread t([ch] {
            std::this_thread::sleep_for(600ms);
            ch.send(42);
        });
        std::cout << ch.recv() << std::endl;
        t.join();
    } else if (mode == "no_deadlock_timer") {
        return run([] {
            Channel<int> ch;
            go([ch] {
                time::sleep(600ms);
                ch.send(42);
            });
            std::cout << ch.recv() << std::endl;
        });
    } else if (mode == "no_deadlock_blocking_call") {
        return run([] {
            Channel<int> ch;
            go([ch] {
                std::this_thread::sleep_for(600ms);  // a plain blocking call
                ch.send(42);
            });
            std::cout << ch.recv() << std::endl;
        });
    } else if (mode == "detector_off") {
        runtime::set_deadlock_detection(false);
        return run(waitgroup_stuck);  // hangs until the parent's SIGQUIT
    } else if (mode == "detector_off_env") {
        return run(waitgroup_stuck);  // the parent set GOCXX_DEADLOCK_DETECTOR=0
    } else if (mode == "sigquit") {
        // Goroutines parked in several ways, then SIGQUIT; main stays out of
        // gocxx (so this is no deadlock) until the runtime ends the process.
        Channel<int> ch;
        sync::Mutex m;
        sync::WaitGroup started;
        m.lock();
        started.add(2);
        go([ch, &started] {
            started.done();
            ch.recv();
        });
        go([&m, &started] {
            started.done();
            m.lock();
        });
        started.wait();
        // Raise once both are parked (polled, bounded), so the dump is exact.
        for (int i = 0; i < 1000; ++i) {
            std::ostringstream os;
            runtime::dump_goroutines(os);
            if (os.str().find("[chan receive") != std::string::npos &&
                os.str().find("[sync.Mutex.Lock") != std::string::npos)
                break;
            ::usleep(10000);
        }
        std::cout << "raising" << std::endl;
        ::kill(::getpid(), SIGQUIT);
        for (int i = 0; i < 600; ++i) ::usleep(100000);  // bounded: 60 s
        std::cout << "not ended by SIGQUIT" << std::endl;
    } else if (mode == "thread_limit") {
        // 40 goroutines in blocking calls need more threads than 20.
        runtime::set_max_threads(20);
        return run([] {
            sync::WaitGroup wg;
            for (int i = 0; i < 40; ++i) {
                wg.add(1);
                go([&wg] {
                    runtime::blocking([] { std::this_thread::sleep_for(5s); });
                    wg.done();
                });
            }
            wg.wait();
            std::cout << "not ended by the thread limit" << std::endl;
        });
    } else if (mode == "thread_limit_below") {
        runtime::gomaxprocs(4);
        std::cout << "previous limit " << runtime::set_max_threads(100) << std::endl;
        runtime::set_max_threads(2);  // fewer than the workers and the monitor running
        std::cout << "not ended by the thread limit" << std::endl;
    } else if (mode == "stack_size") {  // what GOCXX_STACK_SIZE / GOMAXPROCS made of it
        return run([] { std::cout << "stack " << runtime::stack_size() << " procs " << runtime::gomaxprocs() << std::endl; });
    } else if (mode == "exhaust") {
        return exhaust();
    } else {
        std::cerr << "unknown mode " << mode << "\n";
        return 64;
    }
    return 0;
}
