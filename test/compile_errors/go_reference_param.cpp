// expect: gocxx::go(f, args...): the function's arguments are copied into the goroutine
// go(worker, n) where worker takes int&: Go copies the arguments.
#include <gocxx/go.hpp>

void worker(int& n) { ++n; }

void start() {
    int n = 0;
    gocxx::go(worker, n);
}
