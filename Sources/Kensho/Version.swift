public enum KenshoVersion { public static let string = "0.1.0" }
