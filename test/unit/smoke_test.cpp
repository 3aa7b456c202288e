#define BOOST_TEST_MODULE smoke
#include "fixture.hpp"

using namespace gocxx;

GOCXX_TEST(unbuffered_round_trip) {
    Channel<int> ch;
    go([ch] { ch.send(42); });
    BOOST_TEST(ch.recv() == 42);
}
