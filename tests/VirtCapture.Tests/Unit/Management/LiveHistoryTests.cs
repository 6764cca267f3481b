using System.Buffers;
using System.Text;
using System.Text.Json;
using VirtCapture.Management.Live;

namespace VirtCapture.Tests.Unit.Management;

/// <summary>The live graphs' history: the last items, in order, as a page asks for them, without new objects once warm.</summary>
public sealed class LiveHistoryTests
{
    [Fact]
    public void A_new_page_gets_the_kept_items_oldest_first_and_a_page_that_saw_some_gets_the_rest()
    {
        var history = new LiveHistory(3);
        for (var i = 0; i < 5; i++)
        {
            history.Add(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        Assert.Equal(5, history.Count);
        Assert.Equal([2, 3, 4], Written(history, 0));
        Assert.Equal([4], Written(history, 4));
        Assert.Empty(Written(history, 5));
    }

    [Fact]
    public void An_item_larger_than_its_slot_had_is_kept_whole()
    {
        var history = new LiveHistory(2);
        history.Add("{\"n\":1}"u8);
        history.Add("{\"n\":2}"u8);
        var big = $"{{\"n\":3,\"vms\":[{string.Join(',', Enumerable.Range(0, 500))}]}}";
        history.Add(Encoding.UTF8.GetBytes(big));
        history.Add("{\"n\":4}"u8);
        Assert.Equal([3, 4], Written(history, 0));
    }

    [Fact]
    public void Once_every_slot_is_warm_adding_allocates_nothing()
    {
        var history = new LiveHistory(4);
        var item = Encoding.UTF8.GetBytes("{\"n\":1,\"rate\":12.5}");
        for (var i = 0; i < 4; i++)
        {
            history.Add(item);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            history.Add(item);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static int[] Written(LiveHistory history, long seen)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartArray();
            history.WriteSince(seen, json);
            json.WriteEndArray();
        }

        using var document = JsonDocument.Parse(output.WrittenMemory);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("n").GetInt32()).ToArray();
    }
}
