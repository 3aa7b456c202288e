// expect: gocxx::go(f): f must be callable with no arguments
#include <gocxx/go.hpp>

void worker(int n) { (void)n; }

void start() { gocxx::go(worker); }
