// expect: compiles
// What go() accepts: copies, std::ref / std::cref, pointers, member functions,
// move-only arguments and closures; capturing sync types by reference or in a
// shared_ptr.
#include <functional>
#include <memory>
#include <string>

#include <gocxx/go.hpp>
#include <gocxx/sync/mutex.hpp>
#include <gocxx/sync/waitgroup.hpp>

void by_ref(int& n) { ++n; }
void by_cref(const int& n) { (void)n; }
void by_value(int n, std::string s) { (void)n; (void)s; }
void by_pointer(int* n) { ++*n; }
void by_unique(std::unique_ptr<int> p) { (void)p; }
struct Counter {
    int n = 0;
    void bump(int by) { n += by; }
};

void start() {
    int n = 0;
    gocxx::go(by_ref, std::ref(n));
    gocxx::go(by_cref, n);
    gocxx::go(by_cref, std::cref(n));
    gocxx::go(by_value, 1L, "text");
    gocxx::go(by_pointer, &n);
    gocxx::go(by_unique, std::make_unique<int>(1));
    Counter c;
    gocxx::go(&Counter::bump, &c, 2);
    gocxx::go(&Counter::bump, std::ref(c), 2);
    gocxx::go([p = std::make_unique<int>(1)] { (void)p; });

    gocxx::sync::WaitGroup wg;
    gocxx::sync::Mutex mu;
    wg.add(1);
    gocxx::go([&wg, &mu] {
        mu.lock();
        mu.unlock();
        wg.done();
    });
    auto shared = std::make_shared<gocxx::sync::WaitGroup>();
    shared->add(1);
    gocxx::go([shared] { shared->done(); });
    wg.go([] {});
    wg.wait();
}
