// expect: gocxx::sync::WaitGroup cannot be copied
// done() on a const WaitGroup (what a by-value capture holds) says why.
#include <gocxx/sync/waitgroup.hpp>

void finish(const gocxx::sync::WaitGroup& wg) { wg.done(); }
