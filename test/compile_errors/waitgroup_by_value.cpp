// expect: deleted
// expect-gcc: WaitGroup::WaitGroup(const gocxx::sync::WaitGroup&)
// expect-clang: constructor of 'gocxx::sync::WaitGroup'
// Capturing a WaitGroup by value: the first error is its deleted copy
// constructor (not "discards qualifiers" from wg.done() on the const copy).
#include <gocxx/sync/waitgroup.hpp>

void start() {
    gocxx::sync::WaitGroup wg;
    wg.add(1);
    gocxx::go([wg] { wg.done(); });
    wg.wait();
}
