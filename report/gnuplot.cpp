#include "report/gnuplot.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fanfold::report {

std::string Num(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? '\'' : c;
  return out + "\"";
}

std::string GnuplotData(const Figure& figure) {
  // Empty series get no block at all: gnuplot does not count a comment-only block as an index,
  // so one would shift the numbering of every later series. The script numbers the same way.
  std::ostringstream out;
  bool first = true;
  for (const Series& series : figure.series) {
    if (series.rows.empty()) continue;
    if (!first) out << "\n\n";  // two blank lines separate gnuplot "index" blocks
    first = false;
    out << "# " << series.title << "\n";
    for (const auto& row : series.rows) {
      for (size_t c = 0; c < row.size(); ++c)
        out << (c ? "\t" : "") << row[c];
      out << "\n";
    }
  }
  return out.str();
}

std::string GnuplotScript(const Figure& figure, const std::string& data_path,
                          const std::string& png_path) {
  std::ostringstream gp;
  gp << "set terminal pngcairo size " << figure.width << "," << figure.height
     << " enhanced font 'DejaVu Sans,11'\n"
     << "set output " << Quote(png_path) << "\n"
     << "set title " << Quote(figure.title) << " noenhanced\n"
     << "set xlabel " << Quote(figure.xlabel) << " noenhanced\n"
     << "set ylabel " << Quote(figure.ylabel) << " noenhanced\n"
     << "set grid\nset key noenhanced\nset datafile separator '\\t'\n";
  for (const std::string& line : figure.settings)
    gp << line << "\n";
  gp << "plot ";
  bool first = true;
  int index = 0;
  for (const Series& s : figure.series) {
    if (s.rows.empty()) continue;  // no block in the data file (see GnuplotData)
    gp << (first ? "" : ", \\\n     ") << Quote(data_path) << " index " << index++ << " using "
       << s.using_spec << " with " << s.style << " title " << Quote(s.title);
    first = false;
  }
  if (first) gp << "NaN notitle";  // nothing to draw: an empty, titled frame
  gp << "\n";
  return gp.str();
}

storage::Status RenderFigure(const Figure& figure, const std::string& work_dir,
                             const std::string& png_dir) {
  const std::string data_path = work_dir + "/" + figure.name + ".dat";
  const std::string script_path = work_dir + "/" + figure.name + ".gp";
  const std::string png_path = png_dir + "/" + figure.name + ".png";
  {
    std::ofstream data(data_path);
    data << GnuplotData(figure);
    std::ofstream script(script_path);
    script << GnuplotScript(figure, data_path, png_path);
    if (!data || !script) return storage::Status::IoError("cannot write " + script_path);
  }
  const std::string command = "gnuplot " + Quote(script_path);
  const int rc = std::system(command.c_str());
  if (rc != 0) {
    return storage::Status::IoError("gnuplot failed (" + std::to_string(rc) + ") on " +
                                    script_path);
  }
  return storage::Status::Ok();
}

}  // namespace fanfold::report
