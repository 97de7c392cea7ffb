namespace Matryoshka.Tests;

/// <summary>Seeded damage to a valid file for fuzz tests: a few bytes changed, the file cut short, or both.</summary>
public static class ByteDamage
{
    public static byte[] Apply(byte[] valid, Random random, out string description)
    {
        var damaged = (byte[])valid.Clone();
        var steps = new List<string>();
        int kind = random.Next(3); // 0: bytes changed, 1: cut short, 2: both
        if (kind != 1)
        {
            for (int n = random.Next(1, 6); n > 0; n--)
            {
                int at = random.Next(damaged.Length);
                // Extremes turn lengths, counts and dimensions into huge or zero values.
                byte value = random.Next(4) switch { 0 => 0x00, 1 => 0xFF, _ => (byte)random.Next(256) };
                steps.Add($"byte {at}: {damaged[at]:x2} to {value:x2}");
                damaged[at] = value;
            }
        }
        if (kind != 0)
        {
            int length = random.Next(damaged.Length);
            steps.Add($"cut to {length} bytes");
            damaged = damaged[..length];
        }
        description = string.Join(", ", steps);
        return damaged;
    }
}
