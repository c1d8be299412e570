// Writes one figure as a gnuplot data file and script and runs gnuplot on it (pngcairo). The
// figures module decides what to plot; this one only knows how gnuplot wants it.
#pragma once

#include <string>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::report {

struct Series {
  std::string title;                                   // legend entry
  std::vector<std::vector<std::string>> rows;          // data columns, already formatted
  std::string using_spec = "1:2";                      // gnuplot `using`
  std::string style = "linespoints lw 2 pt 7 ps 1.2";  // gnuplot `with`
};

struct Figure {
  std::string name;  // file stem: figures/<name>.png
  std::string title;
  std::string xlabel;
  std::string ylabel;
  std::vector<std::string> settings;  // extra `set ...` lines (log scales, key position, ...)
  std::vector<Series> series;
  int width = 1000;
  int height = 600;
};

// A number as gnuplot reads it (full precision, '.' decimal point).
std::string Num(double value);
// A quoted gnuplot string; double quotes inside become single ones.
std::string Quote(const std::string& text);

// The script text, given where the data file is and where the PNG goes (pure; tested).
std::string GnuplotScript(const Figure& figure, const std::string& data_path,
                          const std::string& png_path);
std::string GnuplotData(const Figure& figure);

// Writes <work_dir>/<name>.dat and .gp, runs gnuplot, leaves <png_dir>/<name>.png.
storage::Status RenderFigure(const Figure& figure, const std::string& work_dir,
                             const std::string& png_dir);

}  // namespace fanfold::report
