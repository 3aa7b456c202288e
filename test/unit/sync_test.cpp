#define BOOST_TEST_MODULE sync
#include "fixture.hpp"

BOOST_AUTO_TEST_CASE(placeholder) { BOOST_TEST(true); }
