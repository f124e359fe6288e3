// Package vectors loads the identifier test vectors and reference tables
// that the module carries in internal/vectors/testdata, copied from the
// project's shared data folder. Only tests import it.
//
// A test that loads a file fails when the file is missing or empty: the
// vectors are part of the module, so there is nothing to skip for.
package vectors
