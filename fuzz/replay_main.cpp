// The replay driver: a main() linked with one fuzz target, built by the ordinary compiler, that
// runs every file of the given corpus folders (or files) through LLVMFuzzerTestOneInput once.
// ctest runs it per target (fuzz_replay_<target>), so the corpora guard against regressions in
// every build, the asan preset included; a crash, a leak or an uncaught exception fails the test.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/target.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR_OR_FILE...\n";
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path given(argv[i]);
    if (fs::is_directory(given)) {
      for (const auto& entry : fs::recursive_directory_iterator(given))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else if (fs::is_regular_file(given)) {
      inputs.push_back(given);
    } else {
      std::cerr << argv[i] << ": no such file or folder\n";
      return 2;
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::cerr << "no corpus files under the given paths\n";
    return 2;
  }
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) {
      std::cerr << path.string() << ": cannot read\n";
      return 2;
    }
    // Announced first: when an input crashes the process, the last line names it.
    std::cerr << "replay " << path.string() << " (" << bytes.size() << " bytes)\n";
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << "replayed " << inputs.size() << " inputs: no crash\n";
  return 0;
}
