public enum EmitPlaceholder {}
