using System.Text;

namespace VersionKit.Generators
{
    /// <summary>The one writer all generated source goes through: indentation by block, invariant culture, '\n' line ends.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _builder = new StringBuilder();
        private int _indent;

        public SourceWriter Line(string text = "")
        {
            foreach (string line in text.Split('\n'))
            {
                if (line.Length > 0)
                {
                    _builder.Append(' ', _indent * 4);
                    _builder.Append(line);
                }

                _builder.Append('\n');
            }

            return this;
        }

        public SourceWriter Indent()
        {
            _indent++;
            return this;
        }

        public SourceWriter Dedent()
        {
            _indent--;
            return this;
        }

        /// <summary>Writes <paramref name="header"/> (if any), then an opening brace, and indents.</summary>
        public SourceWriter Open(string? header = null)
        {
            if (header is not null)
            {
                Line(header);
            }

            Line("{");
            _indent++;
            return this;
        }

        public SourceWriter Close(string text = "}")
        {
            _indent--;
            return Line(text);
        }

        public override string ToString() => _builder.ToString();
    }
}
