// gocxx::runtime: Go's runtime package (the parts that make sense in C++).
#pragma once
#include <cstddef>
#include <iosfwd>
#include <utility>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::runtime {

// runtime.Gosched(): yields the worker to other goroutines; on a plain thread
// it yields the thread.
void gosched();

// runtime.NumGoroutine(): goroutines started and not yet finished (the main
// goroutine of gocxx::run included).
int num_goroutine();

// runtime.GOMAXPROCS(n): sets the number of worker threads when n > 0 and
// returns the previous setting; n <= 0 only queries. The default is the
// GOMAXPROCS environment variable, else the number of CPUs.
int gomaxprocs(int n = 0);

// debug.SetMaxThreads(n): the most OS threads gocxx may run (its workers,
// those lent behind goroutines in blocking calls included, and its monitor);
// returns the previous setting. Default 10,000, as Go's. Needing one more is
// a fatal error, as in Go: "runtime: program exceeds N-thread limit" and
// "fatal error: thread exhaustion", a goroutine dump, exit status 2 (so that
// goroutines blocked in calls, waiting on one that can get no thread, end the
// program instead of hanging it). Setting it below the threads already
// running is that error at once.
int set_max_threads(int n);

// Stack size for goroutines started from now on (bytes, rounded up to pages;
// at least 16 KiB). Default 256 KiB, or the GOCXX_STACK_SIZE environment
// variable. Stacks are reserved, not committed: only touched pages use memory.
void set_stack_size(std::size_t bytes);
std::size_t stack_size();

// Prints every goroutine (its id, its state: running, runnable or what it
// waits for, e.g. "chan receive", "sync.Mutex.Lock", "sleep", and for how
// long; then the type of the function it runs), and every plain thread
// waiting in gocxx, as Go's goroutine dump does. SIGQUIT prints the same to
// stderr and exits with status 2 (unless the program installed its own
// SIGQUIT handler before gocxx started).
void dump_goroutines(std::ostream& os);

// The deadlock detector (on by default; GOCXX_DEADLOCK_DETECTOR=0 turns it
// off too). When a plain thread waits in gocxx and nothing can ever wake it:
// every goroutine is parked, no timer is pending, and the process has no
// thread besides gocxx's workers and threads parked in gocxx, it prints
// "fatal error: all goroutines are asleep - deadlock!" and the dump to stderr
// and exits with status 2, as Go does. A thread gocxx does not know about
// (yours, a library's) keeps it quiet: that thread might still send.
void set_deadlock_detection(bool on);

namespace detail_blocking {
void enter() noexcept;
void exit() noexcept;
}  // namespace detail_blocking

// Runs f, a call that blocks its thread (a blocking socket or database call,
// std::this_thread::sleep_for, a std::mutex held elsewhere), after handing
// this goroutine's worker over to the other goroutines at once: another
// worker thread runs them meanwhile. Returns what f returns. Without it the
// runtime's monitor notices a worker stuck for more than 50 us while
// goroutines wait, and does the same a little later. On a plain thread it
// just calls f.
template <class F>
decltype(auto) blocking(F&& f) {
    detail_blocking::enter();
    struct Exit {
        ~Exit() { detail_blocking::exit(); }
    } exit_guard;
    return std::forward<F>(f)();
}

}  // namespace gocxx::runtime

GOCXX_API_END
