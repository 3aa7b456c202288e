// expect: deleted
// expect-gcc: WaitGroup::WaitGroup(const gocxx::sync::WaitGroup&)
// expect-clang: constructor of 'gocxx::sync::WaitGroup'
// [=] captures the WaitGroup by value too.
#include <gocxx/sync/waitgroup.hpp>

void start() {
    gocxx::sync::WaitGroup wg;
    wg.add(1);
    gocxx::go([=] { wg.done(); });
    wg.wait();
}
