#define BOOST_TEST_MODULE errgroup
#include "fixture.hpp"

BOOST_AUTO_TEST_CASE(placeholder) { BOOST_TEST(true); }
